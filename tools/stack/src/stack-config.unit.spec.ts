import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SERVICE_MALLOC_ENV, DEFAULT_SERVICE_NODE_FLAGS, readStackConfig, serviceUrl } from './stack-config';

describe('readStackConfig', () => {
  it('defaults to the embedded stack under .data with every service', () => {
    const config = readStackConfig({}, '/srv/leadstream');
    expect(config.dataDir).toBe(path.resolve('/srv/leadstream', '.data'));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.kafkaBrokers).toBeUndefined();
    expect(config.services).toHaveLength(7);
    expect(config.serviceNodeFlags).toEqual(DEFAULT_SERVICE_NODE_FLAGS);
  });

  it('gives the services the same flags and malloc settings as the Dockerfile does', () => {
    const dockerfile = readFileSync(path.join(__dirname, '../../../Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
    const args = JSON.parse(cmd?.[1] ?? '[]') as string[];
    expect(args.slice(1, args.indexOf('-r'))).toEqual(DEFAULT_SERVICE_NODE_FLAGS);
    for (const [name, value] of Object.entries(DEFAULT_SERVICE_MALLOC_ENV)) expect(dockerfile).toMatch(new RegExp(`^ENV .*\\b${name}=${value}\\b`, 'm'));
  });

  it('takes the service Node flags from LEADSTREAM_NODE_FLAGS, and an empty value for none', () => {
    expect(readStackConfig({ LEADSTREAM_NODE_FLAGS: ' --max-old-space-size=256   --max-semi-space-size=8 ' }).serviceNodeFlags).toEqual([
      '--max-old-space-size=256',
      '--max-semi-space-size=8',
    ]);
    expect(readStackConfig({ LEADSTREAM_NODE_FLAGS: '' }).serviceNodeFlags).toEqual([]);
  });

  it('refuses LEADSTREAM_NODE_FLAGS that are not flags, naming the bad one', () => {
    expect(() => readStackConfig({ LEADSTREAM_NODE_FLAGS: '--max-semi-space-size=4 rm' })).toThrow("LEADSTREAM_NODE_FLAGS must be Node flags separated by spaces, such as '--max-semi-space-size=4 --max-old-space-size=256'; 'rm' is not one");
    expect(() => readStackConfig({ LEADSTREAM_NODE_FLAGS: '-e' })).toThrow("'-e' is not one");
  });

  it("runs the consumers below the edge's priority unless LEADSTREAM_CONSUMER_NICE says otherwise (0 for none)", () => {
    expect(readStackConfig({}).consumerNice).toBeGreaterThan(0);
    expect(readStackConfig({ LEADSTREAM_CONSUMER_NICE: '19' }).consumerNice).toBe(19);
    expect(readStackConfig({ LEADSTREAM_CONSUMER_NICE: '0' }).consumerNice).toBe(0);
  });

  it('refuses a consumer nice value outside 0-19, naming the variable', () => {
    expect(() => readStackConfig({ LEADSTREAM_CONSUMER_NICE: '20' })).toThrow("LEADSTREAM_CONSUMER_NICE must be an integer from 0 to 19, got '20'");
    expect(() => readStackConfig({ LEADSTREAM_CONSUMER_NICE: '-5' })).toThrow("LEADSTREAM_CONSUMER_NICE must be an integer from 0 to 19, got '-5'");
  });

  it('refuses an unknown service and a port out of range', () => {
    expect(() => readStackConfig({ LEADSTREAM_SERVICES: 'ingestion,billing' })).toThrow("LEADSTREAM_SERVICES names an unknown service 'billing'");
    expect(() => readStackConfig({ POSTGRES_PORT: '70000' })).toThrow("POSTGRES_PORT must be an integer from 1 to 65535, got '70000'");
  });
});

describe('HOST and service URLs', () => {
  it('lets the services listen on this machine only unless HOST says otherwise', () => {
    expect(readStackConfig({}).host).toBe('127.0.0.1');
    expect(readStackConfig({ HOST: ' 0.0.0.0 ' }).host).toBe('0.0.0.0');
  });

  it('reaches a service listening on every interface through the loopback, and one on an address there', () => {
    const ports = readStackConfig({}).ports;
    expect(serviceUrl({ host: '127.0.0.1', ports }, 'ingestion')).toBe('http://127.0.0.1:3101');
    expect(serviceUrl({ host: '0.0.0.0', ports }, 'scoring')).toBe('http://127.0.0.1:3104');
    expect(serviceUrl({ host: '10.0.0.7', ports }, 'analytics')).toBe('http://10.0.0.7:3107');
    expect(serviceUrl({ host: '::1', ports }, 'dedupe')).toBe('http://[::1]:3103');
  });
});
