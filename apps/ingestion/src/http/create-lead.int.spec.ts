// POST /v1/leads against the real development broker (over TCP) and the test PostgreSQL:
// 202 only once Kafka acknowledged the event; 503 with Retry-After while it cannot.
import { TOPICS } from '@leadstream/contracts';
import { until } from '@leadstream/testing';
import { postJson, startIntakeApp, type IntakeTestApp } from '../leads/intake-int-kit.spec';

let app: IntakeTestApp;

function post(body: unknown): Promise<Response> {
  return postJson(app, '/v1/leads', body);
}

beforeAll(async () => {
  app = await startIntakeApp();
}, 90_000);

afterAll(async () => {
  await app?.stop();
}, 60_000);

describe('POST /v1/leads', () => {
  it('answers 202 with the lead id once lead.received is on Kafka, keyed by that id', async () => {
    const response = await post({ email: 'margaret@apollo-guidance.example', firstName: 'Margaret', source: 'referral' });
    expect(response.status).toBe(202);
    const { leadId } = (await response.json()) as { leadId: string };

    // The kit reads every record through parseEvent: one that breaks the contract is never found here.
    const record = await until(async () => app.records.find((entry) => entry.topic === TOPICS.leadReceived && entry.key === leadId), 'the lead.received record');
    expect(record.event).toMatchObject({ type: 'lead.received', metadata: { leadId, causationId: null }, data: { channel: 'api', lead: { email: 'margaret@apollo-guidance.example', source: 'referral' } } });
  }, 60_000);

  it('answers 503 with Retry-After, and reports not ready, while Kafka cannot acknowledge; recovers when it can', async () => {
    await app.stopBroker();

    const refused = await post({ email: 'no.broker@example.org' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(JSON.stringify(await refused.json())).toMatch(/Kafka/);

    const ready = await until(async () => {
      const response = await app.request('/health/ready', { auth: false });
      return response.status === 503 ? ((await response.json()) as { checks: Record<string, string> }) : undefined;
    }, 'readiness to report Kafka down');
    expect(ready.checks['kafka']).toMatch(/^down/);
    expect(ready.checks['database']).toBe('up');

    await app.restartBroker();
    const accepted = await until(async () => {
      const response = await post({ email: 'broker.back@example.org' });
      return response.status === 202 ? response : undefined;
    }, 'ingestion to accept leads again');
    expect(((await accepted.json()) as { leadId: string }).leadId).toMatch(/^[0-9a-f-]{36}$/);
  }, 90_000);
});
