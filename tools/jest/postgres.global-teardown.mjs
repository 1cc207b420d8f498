// Jest globalTeardown paired with postgres.global-setup.mjs: stops the embedded PostgreSQL that the
// setup started (if it started one) and deletes its temporary data dir. A server given through
// LEADSTREAM_TEST_DATABASE_URL is left alone.
import { rm } from 'node:fs/promises';

const STATE_KEY = Symbol.for('leadstream.test.postgres');

export default async function stopTestPostgres() {
  const state = globalThis[STATE_KEY];
  if (!state) return;
  delete globalThis[STATE_KEY];
  try {
    await state.postgres.stop();
  } finally {
    await rm(state.dataDir, { recursive: true, force: true });
    delete process.env.LEADSTREAM_TEST_DATABASE_URL;
  }
}
