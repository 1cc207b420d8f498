import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The run's PostgreSQL (tools/jest/postgres.global-setup.mjs), or a clear failure. */
export function testDatabaseUrl(): string {
  const url = process.env['LEADSTREAM_TEST_DATABASE_URL'];
  if (!url) {
    throw new Error('LEADSTREAM_TEST_DATABASE_URL is not set: run integration tests through `jest --selectProjects integration` (its globalSetup starts PostgreSQL)');
  }
  return url;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** The test URL pointing at another database of the same server. */
export function urlForDatabase(database: string): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
