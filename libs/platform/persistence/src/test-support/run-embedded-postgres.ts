// Driven by embedded-postgres.int.spec.ts in a child process: the library is ESM-only and must be
// loaded through a native dynamic import, which Jest's sandbox does not offer. This also exercises
// the real path: TypeScript compiled to CommonJS by SWC (tools/register.cjs), as `npm start` runs it.
//   node tools/run-ts.mjs <this file> <dataDir> <port> <write|read>
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../embedded-postgres';

async function main(): Promise<void> {
  const [dataDir, portText, mode] = process.argv.slice(2);
  if (!dataDir || !portText || (mode !== 'write' && mode !== 'read')) throw new Error('usage: <dataDir> <port> <write|read>');
  const postgres = await startEmbeddedPostgres({ dataDir, port: Number(portText) });
  try {
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    const listen = await client.query<{ setting: string }>("SELECT setting FROM pg_settings WHERE name = 'listen_addresses'");
    let rows: unknown[] = [];
    if (mode === 'write') {
      await client.query('CREATE TABLE survivor (note text NOT NULL)');
      await client.query("INSERT INTO survivor VALUES ('written before the restart')");
    } else {
      rows = (await client.query('SELECT note FROM survivor')).rows;
    }
    await client.end();
    process.stdout.write(
      JSON.stringify({
        url: postgres.url,
        initialised: postgres.initialised,
        listen: listen.rows[0]?.setting,
        rows,
        // process hooks left behind by the embedded-postgres package (it installs some on import)
        hooks: Object.fromEntries(['SIGINT', 'SIGTERM', 'SIGHUP', 'beforeExit'].map((event) => [event, process.listenerCount(event)])),
      }) + '\n',
    );
  } finally {
    await postgres.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
