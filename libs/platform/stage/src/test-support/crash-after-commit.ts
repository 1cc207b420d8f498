// The stage test service in a process that kills itself with SIGKILL right after its first stage
// transaction commits, before anything is published: the crash the stage mechanism must survive.
//   node tools/run-ts.mjs <this file> <brokers> <databaseUrl>
import type { Logger } from '@leadstream/platform-observability';
import { startStageApp } from './stage-app';

const [brokers, databaseUrl] = process.argv.slice(2);
if (!brokers || !databaseUrl) throw new Error('usage: <brokers> <databaseUrl>');
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (msg) => process.stderr.write(`${msg}\n`) };
startStageApp({
  brokers: brokers.split(','),
  databaseUrl,
  logger: quiet,
  afterCommit: () => {
    process.stdout.write('committed; killed before publishing\n');
    process.kill(process.pid, 'SIGKILL');
  },
}).catch((error: unknown) => {
  process.stderr.write(`stage test service did not start: ${String(error)}\n`);
  process.exit(1);
});
