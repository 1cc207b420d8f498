import { readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  eventually,
  getWithKey,
  historyOf as historyOfLead,
  postJson,
  startStack,
  waitForTypes as waitForLeadTypes,
  type HistoryEvent,
  type RunningStack,
} from './stack-harness';
import { DEFAULT_CONSUMER_NICE } from '../src/stack-config';

const PIPELINE = ['lead.received', 'lead.enriched', 'lead.resolved', 'lead.scored', 'lead.assigned'];

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ keepData: true });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  if (stack) rmSync(stack.dataDir, { recursive: true, force: true });
}, 120_000);

function historyOf(leadId: string): Promise<HistoryEvent[]> {
  return historyOfLead(stack, leadId);
}

function waitForTypes(leadId: string, types: readonly string[]): Promise<HistoryEvent[]> {
  return waitForLeadTypes(stack, leadId, types);
}

async function postLead(lead: Record<string, unknown>): Promise<string> {
  const response = await postJson(`${stack.urls.ingestion}/v1/leads`, lead);
  expect(response.status).toBe(202);
  const { leadId } = response.body as { leadId: string };
  expect(leadId).toMatch(/^[0-9a-f-]{36}$/);
  return leadId;
}

describe('the embedded stack started as npm start does', () => {
  it('serves live and ready on all seven services', async () => {
    for (const [service, url] of Object.entries(stack.urls)) {
      const live = await fetch(`${url}/health/live`);
      const ready = await fetch(`${url}/health/ready`);
      expect({ service, live: live.status, ready: ready.status }).toEqual({ service, live: 200, ready: 200 });
    }
  });

  it('runs ingestion at the launcher\'s priority and the six consumers at the default nice (LEADSTREAM_CONSUMER_NICE)', () => {
    const { services } = JSON.parse(readFileSync(path.join(stack.dataDir, 'stack.json'), 'utf8')) as { services: Record<string, { pid: number }> };
    const niceOf = (pid: number): number => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const base = os.getPriority();
    const seen = Object.fromEntries(Object.entries(services).map(([name, { pid }]) => [name, niceOf(pid)]));
    const expected = Object.fromEntries(Object.keys(services).map((name) => [name, name === 'ingestion' ? base : Math.min(19, base + DEFAULT_CONSUMER_NICE)]));
    expect(Object.keys(seen)).toHaveLength(7);
    expect(seen).toEqual(expected);
  });

  it('carries a posted lead through all five stages, in order, on one trace', async () => {
    const leadId = await postLead({
      email: '  Grace.Hopper@Navy-Systems.example ',
      firstName: 'Grace',
      lastName: 'Hopper',
      company: 'Navy Systems Inc.',
      title: 'VP Engineering',
      phone: '+1 (415) 555-0100',
      country: 'US',
      source: 'webinar',
      campaign: 'cobol-2026',
    });
    const events = await waitForTypes(leadId, PIPELINE);
    const firstIndex = PIPELINE.map((type) => events.findIndex((event) => event.type === type));
    expect(firstIndex).toEqual([...firstIndex].sort((a, b) => a - b));

    const enriched = events.find((event) => event.type === 'lead.enriched')!;
    expect((enriched.data['lead'] as { email: string }).email).toBe('grace.hopper@navy-systems.example');

    const traceIds = new Set(events.filter((event) => PIPELINE.includes(event.type)).map((event) => event.traceId));
    expect(traceIds.size).toBe(1);
    expect([...traceIds][0]).toMatch(/^[0-9a-f]{32}$/);

    const state = await eventually(
      async () => {
        const response = await getWithKey(`${stack.urls.analytics}/v1/leads/${leadId}`);
        if (response.status !== 200) return undefined;
        const body = (await response.json()) as { owner: unknown; score: number | null };
        return body.owner ? body : undefined;
      },
      30_000,
      'the lead state to show an owner',
    );
    expect(state).toMatchObject({ leadId, grade: expect.stringMatching(/^[ABCD]$/), owner: { kind: expect.stringMatching(/^(rep|queue)$/) } });
    expect(typeof state.score).toBe('number');
  }, 120_000);

  it('merges a second lead with the same email into the first', async () => {
    const firstId = await postLead({ email: 'linus@kernel-corp.example', firstName: 'Linus', company: 'Kernel Corp' });
    await waitForTypes(firstId, ['lead.resolved']);
    const secondId = await postLead({ email: 'LINUS@kernel-corp.example', firstName: 'Linus T.' });
    const events = await waitForTypes(secondId, ['lead.resolved']);
    const resolved = events.find((event) => event.type === 'lead.resolved')!;
    expect(resolved.data).toMatchObject({ outcome: 'merged', masterLeadId: firstId });
    const state = await eventually(
      async () => {
        const response = await getWithKey(`${stack.urls.analytics}/v1/leads/${secondId}`);
        return response.status === 200 ? ((await response.json()) as { mergedInto: string | null }) : undefined;
      },
      30_000,
      'the merged lead state',
    );
    expect(state.mergedInto).toBe(firstId);
  }, 120_000);

  it('made an admin API key on the first start: in <dataDir>/api-key, readable by its owner only, printed once', () => {
    expect(stack.apiKey).toMatch(/^lsk_[A-Za-z0-9_-]{43}$/);
    expect(statSync(path.join(stack.dataDir, 'api-key')).mode & 0o777).toBe(0o600);
    expect(stack.output()).toContain(`admin API key (shown once, also in `);
    expect(stack.output().split(stack.apiKey).length - 1).toBe(1);
  });

  it('answers 401 without a key and 403 with a read-only key made through the admin API', async () => {
    const anonymous = await postJson(`${stack.urls.ingestion}/v1/leads`, { email: 'anonymous@example.org' }, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ message: 'missing API key: send Authorization: Bearer <key>' });

    const created = await postJson(`${stack.urls.ingestion}/v1/api-keys`, { name: 'e2e reader', scopes: ['read'] });
    expect(created.status).toBe(201);
    const reader = (created.body as { key: string }).key;
    const forbidden = await postJson(`${stack.urls.ingestion}/v1/leads`, { email: 'reader@example.org' }, reader);
    expect(forbidden.status).toBe(403);
    expect(JSON.stringify(forbidden.body)).toMatch(/scope 'ingest'.*has scopes: read/);
  });

  it('answers 400 naming the problem for bad bodies, and accepts nothing for them', async () => {
    const missing = await postJson(`${stack.urls.ingestion}/v1/leads`, { firstName: 'No Email' });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('email');

    const unknown = await postJson(`${stack.urls.ingestion}/v1/leads`, { email: 'a@b.example', favouriteColour: 'blue' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('favouriteColour');

    const malformed = await postJson(`${stack.urls.ingestion}/v1/leads`, '{"email": "a@b.example",');
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).toMatch(/malformed JSON/i);

    const badId = await getWithKey(`${stack.urls.analytics}/v1/leads/not-a-uuid/history`);
    expect(badId.status).toBe(400);
  });

  it('sends a message that breaks the contract to the dead-letter topic and keeps consuming', async () => {
    const kafka = new Kafka({ clientId: 'e2e-poison', brokers: stack.kafkaBrokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'lead.received.v1',
      messages: [{ key: 'poison', value: '{"type":"lead.received","version":1,"data":{}}' }],
    });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `e2e-dlq-reader-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'leadstream-enrichment.dlq.v1', fromBeginning: true });
    const reasons: string[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value?.toString().includes('"data":{}')) reasons.push(message.headers?.['dlq-reason']?.toString() ?? '');
      },
    });
    try {
      await eventually(async () => (reasons.length > 0 ? true : undefined), 30_000, 'the poison message on the dead-letter topic');
    } finally {
      await consumer.disconnect();
    }
    expect(reasons[0]).toMatch(/metadata|data/);

    // ... and the pipeline still moves.
    const leadId = await postLead({ email: 'after.poison@example.org' });
    await waitForTypes(leadId, PIPELINE);
  }, 120_000);

  it('keeps every lead and its history across a restart, and resumes without reprocessing', async () => {
    const leadId = await postLead({ email: 'restart.survivor@example.net', title: 'Director of Sales' });
    const before = await waitForTypes(leadId, PIPELINE);

    const firstKey = stack.apiKey;
    await stack.stop();
    stack = await startStack({ dataDir: stack.dataDir, keepData: true });
    // The same key, read from the file, and not printed again.
    expect(stack.apiKey).toBe(firstKey);
    expect(stack.output()).not.toContain(firstKey);
    expect(stack.output()).toContain('admin API key in ');

    const after = await historyOf(leadId);
    expect(after.map((event) => event.eventId)).toEqual(before.map((event) => event.eventId));

    const next = await postLead({ email: 'after.restart@example.net' });
    await waitForTypes(next, PIPELINE);
    // The consumers resumed from their committed offsets: the earlier lead gained no events.
    expect((await historyOf(leadId)).length).toBe(before.length);
  }, 400_000);
});
