// The admin key `npm start` makes, once revoked: the next start's banner, ingestion's log and its
// readiness say so (and how to have a new one made) instead of reporting the key as in place.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { getWithKey, startStack, type RunningStack } from './stack-harness';

// Only ingestion: the bootstrap key is its business, and the other six services would add nothing here.
const env = { LEADSTREAM_SERVICES: 'ingestion' };
let stack: RunningStack | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 90_000);

it('after the admin key is revoked, the next npm start says it no longer works, in its banner, the log and readiness', async () => {
  stack = await startStack({ env, keepData: true });
  dataDir = stack.dataDir;
  const key = stack.apiKey;
  const self = await getWithKey(`${stack.urls.ingestion}/v1/api-keys/self`, key);
  const { id } = (await self.json()) as { id: string };
  const revoked = await fetch(`${stack.urls.ingestion}/v1/api-keys/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
  expect(revoked.status).toBe(200);
  await stack.stop();

  stack = await startStack({ env, dataDir, keepData: true });
  const keyFile = path.join(dataDir, 'api-key');
  expect(stack.output()).toContain(`admin API key in ${keyFile} no longer works (the bootstrap admin key (LEADSTREAM_BOOTSTRAP_ADMIN_KEY) was revoked at `);
  expect(stack.output()).toContain(`use another admin key, or stop, delete ${keyFile} and start again to have a new one made`);
  const readiness = await fetch(`${stack.urls.ingestion}/health/ready`);
  expect(readiness.status).toBe(200);
  expect(((await readiness.json()) as { checks: Record<string, string> }).checks['bootstrap-admin-key']).toMatch(/^up: the bootstrap admin key .* was revoked at /);
  const log = readFileSync(path.join(dataDir, 'logs', 'ingestion.log'), 'utf8');
  expect(log).toMatch(/"level":"warn".*the bootstrap admin key \(LEADSTREAM_BOOTSTRAP_ADMIN_KEY\) was revoked at /);
}, 300_000);
