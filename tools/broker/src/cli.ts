// npm run broker -- --port 9092 --data-dir .data/broker [--partitions 12] [--host 127.0.0.1] [--verbose]
import { startBroker, consoleLogger, silentLogger } from './index';

function parseArgs(argv: string[]): { port: number; dataDir: string; partitions: number; host: string; verbose: boolean } {
  const out = { port: 9092, dataDir: '.data/broker', partitions: 12, host: '127.0.0.1', verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--port':
        out.port = Number(value());
        break;
      case '--data-dir':
        out.dataDir = value();
        break;
      case '--partitions':
        out.partitions = Number(value());
        break;
      case '--host':
        out.host = value();
        break;
      case '--verbose':
        out.verbose = true;
        break;
      case '--help':
        console.log('usage: npm run broker -- --port <port> --data-dir <dir> [--partitions <n>] [--host <addr>] [--verbose]');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error(`invalid --port`);
  if (!Number.isInteger(out.partitions) || out.partitions < 1) throw new Error(`invalid --partitions`);
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Handlers first, so that a signal arriving while the broker starts still stops it cleanly.
  let signalled: string | null = null;
  let stopNow: ((signal: string) => void) | null = null;
  const onSignal = (signal: string): void => {
    if (signalled) return;
    signalled = signal;
    stopNow?.(signal);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  const broker = await startBroker({
    port: args.port,
    dataDir: args.dataDir,
    partitions: args.partitions,
    host: args.host,
    logger: args.verbose ? consoleLogger : { ...silentLogger, warn: consoleLogger.warn, error: consoleLogger.error },
  });
  console.log(`development Kafka broker listening on ${broker.host}:${broker.port} (data: ${args.dataDir})`);
  stopNow = (signal) => {
    broker.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`error while stopping on ${signal}: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  if (signalled) stopNow(signalled);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
