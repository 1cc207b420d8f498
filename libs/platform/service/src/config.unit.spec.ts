import { ConfigError, DEFAULT_DATABASE_URL, DEFAULT_PORTS, readServiceConfig } from './config';

describe('readServiceConfig', () => {
  it('falls back to the documented defaults', () => {
    expect(readServiceConfig('routing', {})).toEqual({
      name: 'routing',
      port: 3105,
      host: '127.0.0.1',
      databaseUrl: DEFAULT_DATABASE_URL,
      databaseSchema: 'routing',
      kafkaBrokers: ['127.0.0.1:9092'],
      logLevel: 'info',
    });
    expect(Object.values(DEFAULT_PORTS)).toEqual([3101, 3102, 3103, 3104, 3105, 3106, 3107]);
  });

  it('listens on this machine only unless HOST names another interface, and refuses a URL or host:port', () => {
    expect(readServiceConfig('scoring', {}).host).toBe('127.0.0.1');
    expect(readServiceConfig('scoring', { HOST: ' 0.0.0.0 ' }).host).toBe('0.0.0.0');
    expect(readServiceConfig('scoring', { HOST: '[::]' }).host).toBe('::');
    expect(readServiceConfig('scoring', { HOST: 'scoring.internal' }).host).toBe('scoring.internal');
    for (const bad of ['http://0.0.0.0', '0.0.0.0:3104', 'two words']) {
      expect(() => readServiceConfig('scoring', { HOST: bad })).toThrow(`HOST must be an interface address or host name to listen on, such as 127.0.0.1 or 0.0.0.0, got '${bad}'`);
    }
  });

  it('takes <SERVICE>_PORT over PORT', () => {
    expect(readServiceConfig('scoring', { PORT: '8080' }).port).toBe(8080);
    expect(readServiceConfig('scoring', { PORT: '8080', SCORING_PORT: '9000' }).port).toBe(9000);
  });

  it('takes the bulk lane fetch size from KAFKA_BULK_FETCH_MAX_BYTES, and leaves it to platform-kafka when unset', () => {
    expect(readServiceConfig('analytics', { KAFKA_BULK_FETCH_MAX_BYTES: ' 2097152 ' }).kafkaBulkFetchMaxBytes).toBe(2_097_152);
    expect(readServiceConfig('analytics', {}).kafkaBulkFetchMaxBytes).toBeUndefined();
    for (const bad of ['1MiB', '512', '-1', '1e6', String(512 * 1024 * 1024)]) {
      expect(() => readServiceConfig('analytics', { KAFKA_BULK_FETCH_MAX_BYTES: bad })).toThrow(
        `KAFKA_BULK_FETCH_MAX_BYTES must be a number of bytes from 1024 to 268435456 (e.g. 1048576 for 1 MiB), got '${bad}'`,
      );
    }
  });

  it('splits and trims KAFKA_BROKERS', () => {
    expect(readServiceConfig('dedupe', { KAFKA_BROKERS: ' kafka-1:9092, kafka-2:9093 ,' }).kafkaBrokers).toEqual(['kafka-1:9092', 'kafka-2:9093']);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', /PORT must be a TCP port .* got 'abc'/],
    [{ INGESTION_PORT: '70000' }, 'INGESTION_PORT', /INGESTION_PORT must be a TCP port/],
    [{ PORT: '80.5' }, 'PORT', /PORT must be a TCP port/],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL', /DATABASE_URL must be a URL/],
    [{ DATABASE_URL: 'mysql://u:secret@db/x' }, 'DATABASE_URL', /postgres:\/\/ or postgresql:\/\/, got 'mysql:\/\/u:\*\*\*@db\/x'/],
    [{ KAFKA_BROKERS: 'kafka-1' }, 'KAFKA_BROKERS', /host:port .* got 'kafka-1'/],
    [{ KAFKA_BROKERS: ' , ' }, 'KAFKA_BROKERS', /at least one host:port/],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /LOG_LEVEL must be one of debug, info, warn, error, got 'loud'/],
  ])('rejects %j with an error naming %s', (env, variable, message) => {
    let thrown: unknown;
    try {
      readServiceConfig('ingestion', env);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(variable);
    expect((thrown as ConfigError).message).toMatch(message);
  });

  it('never echoes a database password', () => {
    expect(() => readServiceConfig('analytics', { DATABASE_URL: 'http://leadstream:hunter2@db:5432/x' })).toThrow(/leadstream:\*\*\*@db/);
  });
});
