// Keeps the scale path honest where no Docker engine or cluster runs: every YAML file parses,
// and the Dockerfile, docker-compose.yml, the collector/Prometheus configs and the Kubernetes
// manifests agree with each other and with the services (names, ports, health endpoints, env).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
// The ports and the configuration parser the services themselves use: the manifests are checked
// against the code, not against a copy of it.
import { DEFAULT_PORTS, readServiceConfig, type ServiceName } from '@leadstream/platform-service';
// Where the services other than ingestion ask about API keys, read by their own access settings.
import { readAccessConfig } from '@leadstream/platform-access';
// Where ingestion spools CSV uploads, resolved by ingestion's own settings reader.
import { readImportSettings } from '../apps/ingestion/src/imports/import-settings';

const root = join(__dirname, '..');

const SERVICES: ServiceName[] = ['ingestion', 'enrichment', 'dedupe', 'scoring', 'routing', 'nurture', 'analytics'];
const CONSUMERS = SERVICES.filter((service) => service !== 'ingestion');
const PARTITIONS = 12;

/** The environment variables the services read; anything else in a manifest is a typo or dead config. */
function allowedEnv(service: ServiceName): Set<string> {
  const names = ['PORT', `${service.toUpperCase()}_PORT`, 'HOST', 'DATABASE_URL', 'KAFKA_BROKERS', 'LOG_LEVEL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME'];
  if (service === 'routing') names.push('ROUTING_REPS');
  if (service !== 'ingestion') names.push('INGESTION_URL');
  if (service === 'ingestion') names.push('LEADSTREAM_BOOTSTRAP_ADMIN_KEY', 'INGESTION_IMPORT_DIR');
  return new Set(names);
}

// ---- reading -------------------------------------------------------------------------------------

type Doc = Record<string, unknown>;

function read(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** All documents of a YAML file; a syntax error fails with the file name and the parser's message. */
function loadYaml(path: string): Doc[] {
  return parseAllDocuments(read(path)).flatMap((doc) => {
    if (!('errors' in doc)) return [];
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0].message}`);
    const value: unknown = doc.toJS();
    return value === null || value === undefined ? [] : [record(value, path)];
  });
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return yamlFilesUnder(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

function record(value: unknown, what: string): Doc {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} should be a mapping`);
  return value as Doc;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} should be a list`);
  return value;
}

function text(value: unknown, what: string): string {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new Error(`${what} should be a string`);
  return value;
}

/** Follows a path of keys and indexes; a missing step fails naming the whole path. */
function at(value: unknown, path: string, what = path): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || !(key in current)) throw new Error(`${what}: missing '${key}'`);
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Compose accepts `environment` as a mapping or as a list of KEY=VALUE. */
function composeEnv(service: Doc, what: string): Record<string, string> {
  const env = service['environment'] ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => text(entry, what).split(/=(.*)/s, 2) as [string, string]));
  }
  return Object.fromEntries(Object.entries(record(env, what)).map(([key, value]) => [key, text(value, `${what}.${key}`)]));
}

/** Compose substitutes ${VAR:-default} from the shell; with nothing set, the default applies. */
function interpolate(value: string): string {
  return value.replace(/\$\{\w+(?::?-([^}]*))?\}/g, (_match, fallback: string | undefined) => fallback ?? '');
}

function hostPort(address: string): { host: string; port: number } {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  return { host: url.hostname, port: Number(url.port) };
}

/** Whether `directory` is `mountPath` or below it (POSIX paths, as in the containers). */
function isWithin(directory: string, mountPath: string): boolean {
  const base = mountPath.replace(/\/+$/, '');
  return directory === base || directory.startsWith(`${base}/`);
}

/** The image's working directory: a relative INGESTION_IMPORT_DIR would be resolved against it. */
const IMAGE_WORKDIR = '/app';

/** Kubernetes memory quantities (256Mi, 200M, 1Gi...) in bytes. */
function bytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(quantity);
  if (!match) throw new Error(`not a memory quantity: ${quantity}`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, K: 1e3, M: 1e6, G: 1e9 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * unit;
}

// ---- every YAML file -----------------------------------------------------------------------------

const yamlFiles = ['docker-compose.yml', ...yamlFilesUnder('deploy')];

describe('the services', () => {
  it('are the seven of the platform, with the default ports the code uses', () => {
    expect(Object.keys(DEFAULT_PORTS).sort()).toEqual([...SERVICES].sort());
    expect(SERVICES.map((service) => DEFAULT_PORTS[service])).toEqual([3101, 3102, 3103, 3104, 3105, 3106, 3107]);
  });

  it('each have an app folder under apps/ named as in the Dockerfile, once the apps exist', () => {
    const apps = existsSync(join(root, 'apps')) ? readdirSync(join(root, 'apps')) : [];
    expect(apps.filter((app) => !(SERVICES as string[]).includes(app))).toEqual([]);
  });
});

describe('YAML files of the scale path', () => {
  it.each(yamlFiles)('%s parses and is not empty', (path) => {
    expect(loadYaml(path).length).toBeGreaterThan(0);
  });
});

// ---- Dockerfile ----------------------------------------------------------------------------------

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const dockerignore = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  it('accepts exactly the seven service names as ARG SERVICE', () => {
    const guard = /case "\$\{SERVICE\}" in\s*\\?\s*([a-z|]+)\)/.exec(dockerfile);
    expect(guard?.[1].split('|').sort()).toEqual([...SERVICES].sort());
    expect(dockerfile).toMatch(/^ARG SERVICE$/m);
  });

  it('runs the compiled entry point that tsc emits for apps/<service>/src/main.ts', () => {
    const build = JSON.parse(read('tsconfig.build.json')) as { compilerOptions: { outDir: string; rootDir: string } };
    expect(build.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
    expect(dockerfile).toContain('dist/apps/${SERVICE}/src/main.js');
    expect(dockerfile).toMatch(/ln -s "apps\/\$\{SERVICE\}\/src\/main\.js" dist\/service-main\.js/);
    expect(dockerfile).toMatch(/^CMD \["node", "--max-semi-space-size=4", "--heap-growing-percent=60", "--expose-gc", "-r", "\.\/tools\/register-dist\.cjs", "dist\/service-main\.js"\]$/m);
  });

  it.each(SERVICES)('apps/%s, once it exists, has the src/main.ts the image starts', (service) => {
    if (!existsSync(join(root, 'apps', service))) return;
    const entry = `apps/${service}/src/main.ts`;
    expect({ entry, exists: existsSync(join(root, entry)) }).toEqual({ entry, exists: true });
  });

  it('copies only files that exist and that .dockerignore leaves in the build context', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/));
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.base.json', 'tools/register-dist.cjs']));
    for (const source of sources.filter((s) => s !== '.')) {
      expect({ source, exists: existsSync(join(root, source)) }).toEqual({ source, exists: true });
      expect(dockerignore).not.toContain(source);
    }
    // A context with node_modules or .data (embedded Postgres and broker data) is huge and leaks local state.
    expect(dockerignore).toEqual(expect.arrayContaining(['node_modules', 'dist', '.data', '.git']));
  });

  it('makes the service listen on every interface of the container (readServiceConfig defaults to 127.0.0.1)', () => {
    const host = /^ENV HOST=(\S+)$/m.exec(dockerfile)?.[1];
    expect(readServiceConfig('scoring', { HOST: host }).host).toBe('0.0.0.0');
  });

  it('runs as a non-root user, exposes the PORT build argument and health-checks /health/live', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ARG PORT=\d+$/m);
    expect(dockerfile).toMatch(/^ENV PORT=\$\{PORT\}$/m);
    expect(dockerfile).toMatch(/^EXPOSE \$\{PORT\}$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/health\/live/m);
    expect(dockerfile).toMatch(/^FROM \$\{NODE_IMAGE\} AS runtime$/m);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
  });
});

// ---- docker-compose.yml --------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  const [compose] = loadYaml('docker-compose.yml');
  const services = record(compose['services'], 'services');
  const service = (name: string): Doc => record(services[name], `compose service '${name}'`);
  const collectorConfig = loadYaml('deploy/otel-collector.yaml')[0];

  it('runs all seven services, each built from the Dockerfile for its own app and port', () => {
    for (const name of SERVICES) {
      const build = record(at(service(name), 'build', name), `${name}.build`);
      expect({ name, dockerfile: build['dockerfile'], context: build['context'], args: build['args'] }).toEqual({
        name,
        dockerfile: 'Dockerfile',
        context: '.',
        args: { SERVICE: name, PORT: String(DEFAULT_PORTS[name]) },
      });
      // The same image name the Kubernetes Deployments run.
      expect(text(service(name)['image'], `${name}.image`)).toMatch(new RegExp(`^leadstream/${name}:`));
    }
  });

  it.each(SERVICES)('%s listens on and publishes its default port', (name) => {
    const port = DEFAULT_PORTS[name];
    expect(composeEnv(service(name), name)['PORT']).toBe(String(port));
    expect(list(service(name)['ports'], `${name}.ports`).map(String)).toContain(`${port}:${port}`);
  });

  it.each(SERVICES)("%s's environment is accepted by the service's own config parser", (name) => {
    const env = Object.fromEntries(Object.entries(composeEnv(service(name), name)).map(([key, value]) => [key, interpolate(value)]));
    const config = readServiceConfig(name, env);
    expect({ port: config.port, brokers: config.kafkaBrokers, schema: config.databaseSchema }).toEqual({
      port: DEFAULT_PORTS[name],
      brokers: ['kafka:9092'],
      schema: name,
    });
  });

  it.each(SERVICES)('%s listens on every interface of its container, and checks API keys with the ingestion container', (name) => {
    const env = Object.fromEntries(Object.entries(composeEnv(service(name), name)).map(([key, value]) => [key, interpolate(value)]));
    expect(readServiceConfig(name, env).host).toBe('0.0.0.0');
    if (name === 'ingestion') return;
    const url = new URL(readAccessConfig(name, env).ingestionUrl);
    expect({ name, host: url.hostname, port: Number(url.port) }).toEqual({ name, host: 'ingestion', port: DEFAULT_PORTS.ingestion });
    expect(list(service('ingestion')['ports'], 'ingestion.ports').map(String)).toContain(`${url.port}:${DEFAULT_PORTS.ingestion}`);
  });

  it.each(SERVICES)('%s gets only environment variables the services read', (name) => {
    const env = composeEnv(service(name), name);
    const allowed = allowedEnv(name);
    expect(Object.keys(env).filter((key) => !allowed.has(key))).toEqual([]);
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['DATABASE_URL', 'KAFKA_BROKERS', 'OTEL_EXPORTER_OTLP_ENDPOINT']));
    if (name === 'routing') expect(env['ROUTING_REPS']).toMatch(/^(\$\{ROUTING_REPS:-)?[\w-]+:[^,]+(,[\w-]+:[^,]+)*\}?$/);
  });

  it('points KAFKA_BROKERS at a listener the Kafka container advertises inside the network', () => {
    const kafka = service('kafka');
    expect(text(kafka['image'], 'kafka.image')).toMatch(/^apache\/kafka:/);
    const kafkaEnv = composeEnv(kafka, 'kafka');
    expect(kafkaEnv['KAFKA_PROCESS_ROLES']).toBe('broker,controller'); // KRaft, no ZooKeeper
    const advertised = kafkaEnv['KAFKA_ADVERTISED_LISTENERS'].split(',').map((listener) => listener.replace(/^\w+:\/\//, ''));
    for (const name of SERVICES) {
      for (const broker of composeEnv(service(name), name)['KAFKA_BROKERS'].split(',')) expect(advertised).toContain(broker);
    }
    expect(kafkaEnv['KAFKA_NUM_PARTITIONS']).toBe(String(PARTITIONS));
  });

  it("points DATABASE_URL at the postgres service with that service's credentials", () => {
    const postgres = service('postgres');
    expect(text(postgres['image'], 'postgres.image')).toMatch(/^postgres:17/);
    const pgEnv = composeEnv(postgres, 'postgres');
    for (const name of SERVICES) {
      const url = new URL(composeEnv(service(name), name)['DATABASE_URL']);
      expect({ name, protocol: url.protocol, host: url.hostname, port: url.port, user: url.username, password: url.password, db: url.pathname }).toEqual({
        name,
        protocol: 'postgres:',
        host: 'postgres',
        port: '5432',
        user: pgEnv['POSTGRES_USER'],
        password: pgEnv['POSTGRES_PASSWORD'],
        db: `/${pgEnv['POSTGRES_DB']}`,
      });
    }
  });

  it("points OTEL_EXPORTER_OTLP_ENDPOINT at the collector's OTLP/HTTP receiver", () => {
    const collector = service('otel-collector');
    expect(text(collector['image'], 'otel-collector.image')).toMatch(/^otel\/opentelemetry-collector-contrib:/);
    const receiverPort = hostPort(text(at(collectorConfig, 'receivers.otlp.protocols.http.endpoint'), 'otlp http endpoint')).port;
    for (const name of SERVICES) {
      const endpoint = new URL(composeEnv(service(name), name)['OTEL_EXPORTER_OTLP_ENDPOINT']);
      expect({ name, host: endpoint.hostname, port: Number(endpoint.port) }).toEqual({ name, host: 'otel-collector', port: receiverPort });
    }
    const mounts = list(collector['volumes'], 'otel-collector.volumes').map(String);
    expect(mounts.some((mount) => mount.startsWith('./deploy/otel-collector.yaml:'))).toBe(true);
  });

  it('waits for dependencies that exist, with a healthcheck wherever it waits for healthy', () => {
    for (const [name, definition] of Object.entries(services)) {
      const dependsOn = record(definition, name)['depends_on'];
      if (dependsOn === undefined) continue;
      for (const [dependency, spec] of Object.entries(record(dependsOn, `${name}.depends_on`))) {
        expect({ name, dependency, defined: dependency in services }).toEqual({ name, dependency, defined: true });
        if (record(spec, `${name}.depends_on.${dependency}`)['condition'] === 'service_healthy') {
          expect({ name, dependency, healthcheck: 'healthcheck' in service(dependency) }).toEqual({ name, dependency, healthcheck: true });
        }
      }
    }
    for (const name of SERVICES) {
      const dependsOn = record(service(name)['depends_on'], `${name}.depends_on`);
      expect(at(dependsOn, 'kafka.condition')).toBe('service_healthy');
      expect(at(dependsOn, 'postgres.condition')).toBe('service_healthy');
    }
  });

  it('mounts only files that exist in the repository', () => {
    for (const [name, definition] of Object.entries(services)) {
      const volumes = record(definition, name)['volumes'];
      if (volumes === undefined) continue;
      for (const mount of list(volumes, `${name}.volumes`).map(String).filter((m) => m.startsWith('./'))) {
        const source = mount.split(':')[0];
        expect({ name, source, exists: existsSync(join(root, source)) }).toEqual({ name, source, exists: true });
      }
    }
  });

  it('ingestion spools CSV uploads on a named volume that every replica mounts, writable by the image user', () => {
    const env = Object.fromEntries(Object.entries(composeEnv(service('ingestion'), 'ingestion')).map(([key, value]) => [key, interpolate(value)]));
    const directory = readImportSettings(env, IMAGE_WORKDIR).directory;
    const mounts = list(service('ingestion')['volumes'] ?? [], 'ingestion.volumes').map((mount) => text(mount, 'ingestion volume').split(':'));
    const mount = mounts.find(([, target]) => target !== undefined && isWithin(directory, target));
    // Not the container's own filesystem, and not a bind mount of a host folder: a named volume.
    expect({ directory, source: mount?.[0] }).toEqual({ directory, source: 'ingestion-imports' });
    expect(Object.keys(record(compose['volumes'], 'volumes'))).toContain('ingestion-imports');
    // The volume is handed to uid 1000 (the image's node user) before ingestion starts.
    const init = service('ingestion-imports-init');
    expect(list(init['volumes'], 'ingestion-imports-init.volumes').map(String)).toContain(`ingestion-imports:${mount?.[1]}`);
    expect(list(init['command'], 'ingestion-imports-init.command').map(String)).toEqual(['chown', '1000:1000', mount?.[1]]);
    expect(at(service('ingestion'), 'depends_on.ingestion-imports-init.condition')).toBe('service_completed_successfully');
  });

  it('the collector pipelines use only defined components and export to services that exist', () => {
    const defined = (section: string): string[] => Object.keys(record(collectorConfig[section] ?? {}, section));
    const connectors = defined('connectors');
    const pipelines = record(at(collectorConfig, 'service.pipelines'), 'service.pipelines');
    for (const [pipeline, spec] of Object.entries(pipelines)) {
      const parts = record(spec, pipeline);
      for (const [section, key] of [['receivers', 'receivers'], ['processors', 'processors'], ['exporters', 'exporters']] as const) {
        for (const component of list(parts[key] ?? [], `${pipeline}.${key}`).map(String)) {
          expect({ pipeline, component, defined: [...defined(section), ...(section === 'processors' ? [] : connectors)].includes(component) }).toEqual({
            pipeline,
            component,
            defined: true,
          });
        }
      }
    }
    for (const [exporter, spec] of Object.entries(record(collectorConfig['exporters'], 'exporters'))) {
      if (!exporter.startsWith('otlp')) continue;
      const host = hostPort(text(at(spec, 'endpoint', exporter), exporter)).host;
      expect(Object.keys(services)).toContain(host);
    }
    const prometheusPort = hostPort(text(at(collectorConfig, 'exporters.prometheus.endpoint'), 'prometheus exporter')).port;
    const [prometheus] = loadYaml('deploy/prometheus.yml');
    const targets = list(prometheus['scrape_configs'], 'scrape_configs').flatMap((job) =>
      list(at(job, 'static_configs'), 'static_configs').flatMap((group) => list(at(group, 'targets'), 'targets').map(String)),
    );
    expect(targets).toContain(`otel-collector:${prometheusPort}`);
  });
});

// ---- Kubernetes ----------------------------------------------------------------------------------

describe('deploy/k8s', () => {
  const files = readdirSync(join(root, 'deploy/k8s')).filter((file) => /\.ya?ml$/.test(file));
  const resources = files.filter((file) => file !== 'kustomization.yaml').flatMap((file) => loadYaml(`deploy/k8s/${file}`));
  const find = (kind: string, name: string): Doc | undefined =>
    resources.find((resource) => resource['kind'] === kind && at(resource, 'metadata.name', kind) === name);
  const get = (kind: string, name: string): Doc => {
    const found = find(kind, name);
    if (!found) throw new Error(`no ${kind} named '${name}' in deploy/k8s`);
    return found;
  };
  const [kustomization] = loadYaml('deploy/k8s/kustomization.yaml');
  const sharedConfig = record(at(get('ConfigMap', 'leadstream-config'), 'data'), 'leadstream-config.data');

  const container = (name: ServiceName): Doc => {
    const containers = list(at(get('Deployment', name), 'spec.template.spec.containers'), `${name} containers`);
    expect(containers).toHaveLength(1);
    return record(containers[0], `${name} container`);
  };
  /** A probe or targetPort may name the container port ('http') or give its number. */
  const resolvePort = (name: ServiceName, port: unknown): number => {
    if (typeof port === 'number') return port;
    const named = list(container(name)['ports'], `${name} ports`).map((p) => record(p, 'port')).find((p) => p['name'] === port);
    if (!named) throw new Error(`${name}: no container port named '${String(port)}'`);
    return Number(named['containerPort']);
  };
  /** The values of a ConfigMap or Secret (stringData as written; base64 data decoded). */
  const valuesOf = (kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> => {
    const resource = get(kind, name);
    const plain = Object.entries(record(resource['stringData'] ?? (kind === 'ConfigMap' ? resource['data'] : {}), `${kind} ${name}`));
    const encoded = kind === 'Secret' && resource['data'] ? Object.entries(record(resource['data'], `${name}.data`)) : [];
    return Object.fromEntries([
      ...plain.map(([key, value]) => [key, text(value, key)]),
      ...encoded.map(([key, value]) => [key, Buffer.from(text(value, key), 'base64').toString('utf8')]),
    ]);
  };
  /**
   * Every variable the container ends up with and its value, resolved the way the kubelet does:
   * envFrom sources in order, then env entries (which win). A reference to a missing ConfigMap,
   * Secret or key fails here, as the pod would fail to start.
   */
  const containerEnv = (name: ServiceName): Record<string, string> => {
    const c = container(name);
    const env: Record<string, string> = {};
    for (const entry of list(c['envFrom'] ?? [], `${name} envFrom`)) {
      const source = record(entry, `${name} envFrom entry`);
      const values = source['configMapRef']
        ? valuesOf('ConfigMap', text(at(source, 'configMapRef.name'), 'configMapRef'))
        : valuesOf('Secret', text(at(source, 'secretRef.name'), 'secretRef'));
      Object.assign(env, values);
    }
    for (const entry of list(c['env'] ?? [], `${name} env`)) {
      const variable = record(entry, `${name} env entry`);
      const key = text(variable['name'], `${name} env name`);
      const ref = record(variable['valueFrom'] ?? {}, 'valueFrom');
      if (ref['configMapKeyRef'] || ref['secretKeyRef']) {
        const [kind, refSpec] = ref['configMapKeyRef'] ? (['ConfigMap', ref['configMapKeyRef']] as const) : (['Secret', ref['secretKeyRef']] as const);
        const values = valuesOf(kind, text(at(refSpec, 'name'), `${key} ref`));
        const refKey = text(at(refSpec, 'key'), `${key} ref key`);
        if (!(refKey in values)) throw new Error(`${name}: ${key} refers to key '${refKey}' missing from ${kind} ${String(at(refSpec, 'name'))}`);
        env[key] = values[refKey];
      } else {
        env[key] = text(variable['value'], `${name} ${key}`);
      }
    }
    return env;
  };

  it('kustomization.yaml lists every manifest in the folder, and only those', () => {
    const listed = list(kustomization['resources'], 'resources').map(String).sort();
    expect(listed).toEqual(files.filter((file) => file !== 'kustomization.yaml').sort());
    const images = list(kustomization['images'], 'images').map((image) => at(image, 'name'));
    expect(images.sort()).toEqual(SERVICES.map((name) => `leadstream/${name}`).sort());
  });

  it.each(SERVICES)('%s has a Deployment of its image and a Service on its default port', (name) => {
    const port = DEFAULT_PORTS[name];
    const deployment = get('Deployment', name);
    const podLabels = record(at(deployment, 'spec.template.metadata.labels'), 'pod labels');
    expect(podLabels).toMatchObject(record(at(deployment, 'spec.selector.matchLabels'), 'selector'));
    expect(text(container(name)['image'], 'image')).toMatch(new RegExp(`^leadstream/${name}:`));
    expect(list(container(name)['ports'], 'ports').map((p) => at(p, 'containerPort'))).toEqual([port]);

    const service = get('Service', name);
    expect(podLabels).toMatchObject(record(at(service, 'spec.selector'), 'service selector'));
    const servicePorts = list(at(service, 'spec.ports'), 'service ports').map((p) => record(p, 'service port'));
    expect(servicePorts.map((p) => ({ port: p['port'], target: resolvePort(name, p['targetPort'] ?? p['port']) }))).toEqual([{ port, target: port }]);
  });

  it.each(SERVICES)('%s probes /health/live and /health/ready on its port', (name) => {
    const c = container(name);
    const probe = (kind: string) => record(at(c, `${kind}.httpGet`, `${name} ${kind}`), kind);
    expect(probe('livenessProbe')['path']).toBe('/health/live');
    expect(probe('readinessProbe')['path']).toBe('/health/ready');
    for (const kind of ['livenessProbe', 'readinessProbe', ...(c['startupProbe'] ? ['startupProbe'] : [])]) {
      expect({ kind, port: resolvePort(name, probe(kind)['port']) }).toEqual({ kind, port: DEFAULT_PORTS[name] });
    }
  });

  it.each(SERVICES)("%s's resolved environment is accepted by the service's own config parser", (name) => {
    const env = containerEnv(name);
    const config = readServiceConfig(name, env);
    expect({ port: config.port, brokers: config.kafkaBrokers.join(','), schema: config.databaseSchema }).toEqual({
      port: DEFAULT_PORTS[name],
      brokers: sharedConfig['KAFKA_BROKERS'],
      schema: name,
    });
  });

  it.each(SERVICES)('%s listens on every interface of its pod, and checks API keys with the ingestion Service', (name) => {
    const env = containerEnv(name);
    expect(readServiceConfig(name, env).host).toBe('0.0.0.0');
    if (name === 'ingestion') return;
    const url = new URL(readAccessConfig(name, env).ingestionUrl);
    expect({ name, host: url.hostname, port: Number(url.port) }).toEqual({ name, host: String(at(get('Service', 'ingestion'), 'metadata.name')), port: DEFAULT_PORTS.ingestion });
  });

  it.each(SERVICES)('%s runs with PORT set, only known variables, and no injected <SERVICE>_PORT links', (name) => {
    const env = Object.keys(containerEnv(name));
    const allowed = allowedEnv(name);
    expect(env.filter((variable) => !allowed.has(variable))).toEqual([]);
    expect(env).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'KAFKA_BROKERS', 'OTEL_EXPORTER_OTLP_ENDPOINT']));
    const direct = list(container(name)['env'], 'env').map((entry) => record(entry, 'env entry'));
    expect(direct.find((variable) => variable['name'] === 'PORT')?.['value']).toBe(String(DEFAULT_PORTS[name]));
    // Service links would set e.g. INGESTION_PORT=tcp://10.0.0.7:3101 in every pod of the namespace;
    // the services prefer <SERVICE>_PORT over PORT and would refuse to start.
    expect(at(get('Deployment', name), 'spec.template.spec.enableServiceLinks')).toBe(false);
    const linked = { ...containerEnv(name), [`${name.toUpperCase()}_PORT`]: `tcp://10.0.0.7:${DEFAULT_PORTS[name]}` };
    expect(() => readServiceConfig(name, linked)).toThrow(`${name.toUpperCase()}_PORT`);
  });

  it.each(SERVICES)('%s has a 256Mi memory limit and a request close below it', (name) => {
    const resourcesOf = record(container(name)['resources'], `${name} resources`);
    const limit = bytes(text(at(resourcesOf, 'limits.memory'), 'limit'));
    const request = bytes(text(at(resourcesOf, 'requests.memory'), 'request'));
    expect(limit).toBe(bytes('256Mi'));
    expect(request).toBeLessThanOrEqual(limit);
    expect(request).toBeGreaterThanOrEqual(bytes('128Mi'));
  });

  it.each(CONSUMERS)("%s scales with KEDA on its consumer groups' lag, up to the partition count", (name) => {
    const scaled = get('ScaledObject', name);
    expect(at(scaled, 'spec.scaleTargetRef.name')).toBe(name);
    const maxReplicas = Number(at(scaled, 'spec.maxReplicaCount'));
    expect(maxReplicas).toBeGreaterThanOrEqual(1);
    expect(maxReplicas).toBeLessThanOrEqual(PARTITIONS);
    const triggers = list(at(scaled, 'spec.triggers'), 'triggers').map((t) => record(t, 'trigger'));
    // one trigger per lane: the live group and the bulk group (docs/adr/0008-bulk-lane.md)
    expect(triggers.map((t) => t['type'])).toEqual(['kafka', 'kafka']);
    const metadata = triggers.map((t) => record(t['metadata'], 'trigger metadata'));
    expect(metadata.map((m) => m['consumerGroup'])).toEqual([`leadstream-${name}`, `leadstream-${name}.bulk`]);
    for (const m of metadata) {
      expect(m['bootstrapServers']).toBe(sharedConfig['KAFKA_BROKERS']);
      expect(Number(m['lagThreshold'])).toBeGreaterThan(0);
    }
  });

  it('ingestion scales on CPU with an HPA, and no Deployment has two autoscalers', () => {
    const hpa = get('HorizontalPodAutoscaler', 'ingestion');
    expect(at(hpa, 'spec.scaleTargetRef')).toMatchObject({ kind: 'Deployment', name: 'ingestion' });
    const metrics = list(at(hpa, 'spec.metrics'), 'metrics');
    expect(metrics.map((m) => at(m, 'resource.name'))).toContain('cpu');
    // CPU utilisation is relative to the request: without one the HPA cannot compute it.
    expect(at(container('ingestion'), 'resources.requests.cpu')).toBeDefined();
    expect(find('ScaledObject', 'ingestion')).toBeUndefined();

    const targets = resources
      .filter((r) => r['kind'] === 'HorizontalPodAutoscaler' || r['kind'] === 'ScaledObject')
      .map((r) => text(at(r, 'spec.scaleTargetRef.name'), 'scaleTargetRef'));
    expect(new Set(targets).size).toBe(targets.length);
  });

  it('ROUTING_REPS reaches routing only', () => {
    for (const name of SERVICES) expect({ name, has: 'ROUTING_REPS' in containerEnv(name) }).toEqual({ name, has: name === 'routing' });
  });

  it("ingestion's import directory is on a ReadWriteMany claim every replica mounts", () => {
    const directory = readImportSettings(containerEnv('ingestion'), IMAGE_WORKDIR).directory;
    const mounts = list(container('ingestion')['volumeMounts'] ?? [], 'ingestion volumeMounts').map((m) => record(m, 'volumeMount'));
    const mount = mounts.find((m) => isWithin(directory, text(m['mountPath'], 'mountPath')));
    if (!mount) throw new Error(`ingestion: the import directory ${directory} is on no volume (the pod's own filesystem is not shared)`);
    const podSpec = record(at(get('Deployment', 'ingestion'), 'spec.template.spec'), 'ingestion pod spec');
    const volume = list(podSpec['volumes'] ?? [], 'ingestion volumes')
      .map((v) => record(v, 'volume'))
      .find((v) => v['name'] === mount['name']);
    expect(mount['readOnly']).not.toBe(true);
    const claimName = text(at(volume, 'persistentVolumeClaim.claimName', `ingestion volume ${String(mount['name'])}`), 'claimName');
    const claim = get('PersistentVolumeClaim', claimName);
    expect(list(at(claim, 'spec.accessModes'), 'accessModes')).toContain('ReadWriteMany');
    expect(at(claim, 'spec.resources.requests.storage')).toBeDefined();
    // Writable by the non-root user the container runs as.
    expect(at(podSpec, 'securityContext.fsGroup')).toBe(at(podSpec, 'securityContext.runAsGroup'));
    // The HPA may run several replicas: the claim is what they share.
    expect(Number(at(get('HorizontalPodAutoscaler', 'ingestion'), 'spec.maxReplicas'))).toBeGreaterThan(1);
  });
});
