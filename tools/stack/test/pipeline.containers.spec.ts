// The pipeline on Apache Kafka and PostgreSQL in containers (testcontainers): the production
// components instead of the development broker and the embedded PostgreSQL, with the same services
// and the same launcher (`DATABASE_URL` / `KAFKA_BROKERS` switch it to external servers).
// Without a Docker engine the suite reports itself skipped, with the reason.
import { KafkaContainer, type StartedKafkaContainer } from '@testcontainers/kafka';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { dockerAvailability } from './docker-availability';
import { eventually, getWithKey, postJson, startStack, type RunningStack } from './stack-harness';

const docker = dockerAvailability();
const describeWithDocker = docker.available ? describe : describe.skip;
if (!docker.available) {
  // Shown in the Jest output next to the skipped tests.
  console.warn(`[containers] skipped: ${docker.reason}. Install and start Docker to run the Apache Kafka + PostgreSQL suites.`);
}

const PIPELINE = ['lead.received', 'lead.enriched', 'lead.resolved', 'lead.scored', 'lead.assigned'];

describeWithDocker(`the pipeline on Apache Kafka and PostgreSQL containers (${docker.reason})`, () => {
  let kafka: StartedKafkaContainer;
  let postgres: StartedPostgreSqlContainer;
  let stack: RunningStack;

  beforeAll(async () => {
    [kafka, postgres] = await Promise.all([
      new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().start(),
      new PostgreSqlContainer('postgres:17-alpine').withDatabase('leadstream').withUsername('leadstream').withPassword('leadstream').start(),
    ]);
    stack = await startStack({
      env: {
        DATABASE_URL: postgres.getConnectionUri(),
        KAFKA_BROKERS: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
      },
    });
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([kafka?.stop(), postgres?.stop()]);
  }, 180_000);

  it('carries a posted lead through all five stages on one trace', async () => {
    const posted = await postJson(`${stack.urls.ingestion}/v1/leads`, { email: 'kraft@apache-kafka.example', title: 'Head of Platform' });
    expect(posted.status).toBe(202);
    const { leadId } = posted.body as { leadId: string };
    const events = await eventually(
      async () => {
        const response = await getWithKey(`${stack.urls.analytics}/v1/leads/${leadId}/history`);
        if (response.status !== 200) return undefined;
        const body = (await response.json()) as { events: { type: string; traceId: string | null }[] };
        const types = new Set(body.events.map((event) => event.type));
        return PIPELINE.every((type) => types.has(type)) ? body.events : undefined;
      },
      120_000,
      'the lead to be assigned',
    );
    expect(new Set(events.filter((event) => PIPELINE.includes(event.type)).map((event) => event.traceId)).size).toBe(1);
  }, 180_000);
});
