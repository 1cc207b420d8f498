// Jest has its own module registry, so the module-cache replacement is checked in a plain Node process.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../../..');

/** Runs `body` (CommonJS) in a Node child with the project's TypeScript loader; answers its JSON output. */
function inChild(body: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['-r', path.join(ROOT, 'tools/register.cjs'), '-e', body], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() as string) as Record<string, unknown>;
}

const TUNE = `const { tuneKafkajsProduceEncoding } = require(${JSON.stringify(path.join(__dirname, 'kafkajs-produce-encoding.ts'))});`;
const MARKED = `(() => { const exported = require('kafkajs/src/protocol/requests/produce/v3/request'); return exported[Symbol.for('leadstream.kafkajs-produce-encoding')] === true; })()`;

describe('tuneKafkajsProduceEncoding in a Node process', () => {
  it('installs the produce request where kafkajs loads it, once, and a v7 request is encoded by it', () => {
    const result = inChild(`${TUNE}
      const first = tuneKafkajsProduceEncoding();
      const again = tuneKafkajsProduceEncoding();
      // What kafkajs's Produce(version) loads for v3-v7.
      const produce = require('kafkajs/src/protocol/requests/produce/v7/request');
      produce({ acks: -1, timeout: 1000, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v', headers: { a: 'b' } }] }] }] })
        .encode()
        .then((encoder) => console.log(JSON.stringify({ first, again, marked: ${MARKED}, bytes: encoder.buffer.length, exact: encoder.buf.length === encoder.offset })));`);
    // One buffer of exactly the request's size: kafkajs's own Encoders grow in powers of two from 512 bytes.
    expect(result).toEqual({ first: true, again: true, marked: true, bytes: expect.any(Number), exact: true });
    expect(result['bytes']).toBeGreaterThan(60);
  });

  it('is also what kafkajs gets when OpenTelemetry\'s require hook was installed first (as in every service)', () => {
    const result = inChild(`require(${JSON.stringify(path.join(ROOT, 'libs/platform/observability/src/index.ts'))}).startTelemetry('produce-encoding-test');
      ${TUNE}
      const installed = tuneKafkajsProduceEncoding();
      // What kafkajs's Broker.produce calls for a broker that speaks Produce v3.
      const produce = require('kafkajs/src/protocol/requests/produce').protocol({ version: 3 });
      produce({ acks: -1, timeout: 1000, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v' }] }] }] })
        .request.encode()
        .then((encoder) => {
          console.log(JSON.stringify({ installed, exact: encoder.buf.length === encoder.offset }));
          process.exit(0);
        });`);
    expect(result).toEqual({ installed: true, exact: true });
  });

  it('changes nothing and says so when a later produce request version had already captured kafkajs\'s own', () => {
    const result = inChild(`${TUNE}
      require('kafkajs/src/protocol/requests/produce/v5/request');
      const installed = tuneKafkajsProduceEncoding();
      console.log(JSON.stringify({ installed, marked: ${MARKED} }));`);
    expect(result).toEqual({ installed: false, marked: false });
  });
});
