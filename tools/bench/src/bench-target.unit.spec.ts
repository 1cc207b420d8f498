import { BenchTargetError, parseStackFile, redactPassword, resolveBenchTarget } from './bench-target';

const stackJson = JSON.stringify({
  databaseUrl: 'postgres://leadstream:leadstream@127.0.0.1:5433/leadstream',
  kafkaBrokers: ['127.0.0.1:9092'],
  services: {
    ingestion: { pid: 4101, port: 3101, url: 'http://127.0.0.1:3101' },
    scoring: { pid: 4104, port: 3104, url: 'http://127.0.0.1:3104' },
  },
});
const file = (text: string | undefined) => ({ path: '.data/stack.json', text });

describe('resolveBenchTarget', () => {
  it('takes the ingestion URL, database and service pids from the stack file npm start writes', () => {
    expect(resolveBenchTarget({}, file(stackJson))).toEqual({
      ingestionUrl: 'http://127.0.0.1:3101',
      databaseUrl: 'postgres://leadstream:leadstream@127.0.0.1:5433/leadstream',
      processes: [
        { service: 'ingestion', pid: 4101 },
        { service: 'scoring', pid: 4104 },
      ],
      source: '.data/stack.json',
    });
  });

  it('lets INGESTION_URL and DATABASE_URL override the file, keeping its pids', () => {
    const target = resolveBenchTarget({ INGESTION_URL: 'http://10.0.0.5:3101/', DATABASE_URL: 'postgresql://a:b@db:5432/x' }, file(stackJson));
    expect(target).toMatchObject({ ingestionUrl: 'http://10.0.0.5:3101', databaseUrl: 'postgresql://a:b@db:5432/x', source: '.data/stack.json + INGESTION_URL + DATABASE_URL' });
    expect(target.processes).toHaveLength(2);
  });

  it('runs from the environment alone when there is no stack file (docker compose), without pids', () => {
    expect(resolveBenchTarget({ INGESTION_URL: 'http://127.0.0.1:3101', DATABASE_URL: 'postgres://leadstream:leadstream@127.0.0.1:5432/leadstream' }, file(undefined))).toEqual({
      ingestionUrl: 'http://127.0.0.1:3101',
      databaseUrl: 'postgres://leadstream:leadstream@127.0.0.1:5432/leadstream',
      processes: [],
      source: 'INGESTION_URL + DATABASE_URL',
    });
  });

  it('without a stack file or the variables, says the stack is not running and how to start it', () => {
    expect(() => resolveBenchTarget({}, file(undefined))).toThrow(BenchTargetError);
    expect(() => resolveBenchTarget({}, file(undefined))).toThrow(/No running stack found: \.data\/stack\.json does not exist and INGESTION_URL and DATABASE_URL are not set\. Start the stack with `npm start`/);
    expect(() => resolveBenchTarget({ INGESTION_URL: 'http://x:1' }, file(undefined))).toThrow('and DATABASE_URL is not set');
  });

  it('falls back to the ingestion port when the file has no url', () => {
    const text = JSON.stringify({ databaseUrl: 'postgres://h/db', services: { ingestion: { pid: 1, port: 4101 } } });
    expect(resolveBenchTarget({}, file(text)).ingestionUrl).toBe('http://127.0.0.1:4101');
  });

  it('names what is missing from an incomplete stack file', () => {
    expect(() => resolveBenchTarget({}, file(JSON.stringify({ services: {} })))).toThrow('.data/stack.json has no services.ingestion.url and INGESTION_URL is not set');
    expect(() => resolveBenchTarget({}, file(JSON.stringify({ services: { ingestion: { url: 'http://h:1' } } })))).toThrow('.data/stack.json has no databaseUrl');
  });

  it('refuses URLs of the wrong kind, without printing the password', () => {
    expect(() => resolveBenchTarget({ DATABASE_URL: 'mysql://u:hunter2@h/db' }, file(stackJson))).toThrow(/the database URL must start with postgres:\/\/ or postgresql:\/\/ \(e\.g\. .+\), got 'mysql:\/\/u:\*\*\*@h\/db'/);
    expect(() => resolveBenchTarget({ INGESTION_URL: '127.0.0.1:3101' }, file(stackJson))).toThrow("the ingestion URL must start with http:// or https:// (e.g. http://127.0.0.1:3101), got '127.0.0.1:3101'");
  });
});

describe('parseStackFile', () => {
  it('reports a half-written or corrupt file by name', () => {
    expect(() => parseStackFile('{"databaseUrl": ', '.data/stack.json')).toThrow(/^\.data\/stack\.json is not valid JSON \(.+\); it may be half-written/);
    expect(() => parseStackFile('[]', 'f.json')).toThrow('f.json should hold a JSON object');
  });

  it('names a malformed field', () => {
    expect(() => parseStackFile(JSON.stringify({ services: { scoring: { pid: 'x' } } }), 'f.json')).toThrow('f.json: services.scoring.pid should be a process id, got "x"');
    expect(() => parseStackFile(JSON.stringify({ services: [] }), 'f.json')).toThrow('"services" should be an object');
  });
});

describe('redactPassword', () => {
  it('hides only the password of a connection URL', () => {
    expect(redactPassword('postgres://leadstream:s3cr3t@127.0.0.1:5433/leadstream')).toBe('postgres://leadstream:***@127.0.0.1:5433/leadstream');
    expect(redactPassword('postgres://127.0.0.1:5433/leadstream')).toBe('postgres://127.0.0.1:5433/leadstream');
  });
});

describe('resolveBenchTarget: the API key', () => {
  const stack = JSON.stringify({ databaseUrl: 'postgres://u:p@127.0.0.1:5433/leadstream', services: { ingestion: { url: 'http://127.0.0.1:3101' } } });
  const keyFile = (text: string | undefined) => ({ path: '.data/api-key', text });

  it('reads the api-key file next to stack.json, and LEADSTREAM_API_KEY wins over it', () => {
    expect(resolveBenchTarget({}, file(stack), keyFile('lsk_fromFile\n')).apiKey).toBe('lsk_fromFile');
    expect(resolveBenchTarget({ LEADSTREAM_API_KEY: ' lsk_fromEnv ' }, file(stack), keyFile('lsk_fromFile')).apiKey).toBe('lsk_fromEnv');
    expect(resolveBenchTarget({}, file(stack), keyFile(undefined)).apiKey).toBeUndefined();
  });
});
