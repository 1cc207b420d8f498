// POST /v1/activities against the development broker and the test PostgreSQL.
import { randomUUID } from 'node:crypto';
import { LEADSTREAM_NAMESPACE, uuidV5, type ActivityRecorded } from '@leadstream/contracts';
import { postJson, problemText, startIntakeApp, type IntakeTestApp } from '../leads/intake-int-kit.spec';

let app: IntakeTestApp;

beforeAll(async () => {
  app = await startIntakeApp();
}, 90_000);

afterAll(async () => {
  await app?.stop();
}, 60_000);

async function recorded(eventIds: readonly string[]): Promise<ActivityRecorded[]> {
  await app.caughtUp();
  return app.events.filter((event): event is ActivityRecorded => event.type === 'activity.recorded' && eventIds.includes(event.metadata.eventId));
}

interface BatchAnswer {
  results: { index: number; eventId?: string; leadId?: string; errors?: { field: string; message: string }[] }[];
  accepted: number;
  rejected: number;
}

describe('POST /v1/activities', () => {
  it('records one activity of a lead named by id: 202, then activity.recorded keyed by that lead', async () => {
    const leadId = randomUUID();
    const response = await postJson(app, '/v1/activities', { leadId, kind: 'webinar_attended', at: '2026-11-20T10:00:00Z', detail: { webinar: 'Spring launch' } });
    expect(response.status).toBe(202);
    const answer = (await response.json()) as { eventId: string; leadId: string };
    expect(answer.leadId).toBe(leadId);
    const events = await recorded([answer.eventId]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ metadata: { leadId }, data: { kind: 'webinar_attended', at: '2026-11-20T10:00:00.000Z', detail: { webinar: 'Spring launch' } } });
    expect(events[0]!.data.email).toBeUndefined();
  }, 30_000);

  it('records a batch with per-item results: by lead id, by email (name-based id, email carried), and page_visited without url refused', async () => {
    const leadId = randomUUID();
    const response = await postJson(app, '/v1/activities', {
      activities: [
        { leadId, kind: 'email_opened', at: '2026-11-21T08:00:00Z' },
        { email: '  Grace.Hopper@Navy.example ', kind: 'page_visited', url: 'https://www.example.com/pricing' },
        { email: 'grace.hopper@navy.example', kind: 'page_visited' },
        { leadId, kind: 'coffee_shared' },
        { leadId, kind: 'meeting_booked', extra: 1 },
      ],
    });
    expect(response.status).toBe(202);
    const answer = (await response.json()) as BatchAnswer;
    expect(answer).toMatchObject({ accepted: 2, rejected: 3 });
    expect(answer.results.map((result) => result.index)).toEqual([0, 1, 2, 3, 4]);
    const byEmail = uuidV5('email:grace.hopper@navy.example', LEADSTREAM_NAMESPACE);
    expect(answer.results[0]!.leadId).toBe(leadId);
    expect(answer.results[1]!.leadId).toBe(byEmail);
    expect(answer.results[2]!.errors).toEqual([{ field: 'url', message: 'is required for page_visited' }]);
    expect(answer.results[3]!.errors).toEqual([expect.objectContaining({ field: 'kind' })]);
    expect(answer.results[4]!.errors).toEqual([expect.objectContaining({ field: 'extra', message: expect.stringMatching(/^is not a known field/) })]);

    const events = await recorded([answer.results[0]!.eventId!, answer.results[1]!.eventId!]);
    expect(events).toHaveLength(2);
    expect(events.find((event) => event.metadata.leadId === byEmail)?.data).toEqual({
      kind: 'page_visited',
      at: expect.any(String),
      url: 'https://www.example.com/pricing',
      email: 'grace.hopper@navy.example',
    });
    expect(app.events.filter((event) => event.type === 'activity.recorded' && event.metadata.leadId === leadId)).toHaveLength(1);
  }, 30_000);

  it.each([
    ['page_visited without url', { leadId: '7d8a1b3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', kind: 'page_visited' }, /^url: is required for page_visited$/m],
    ['neither lead id nor email', { kind: 'email_opened' }, /^leadId: is required, or email, to name the lead$/m],
    ['a wrong type', { email: 'a@b.example', kind: 'email_opened', at: 12 }, /^at: must be an ISO-8601 timestamp/m],
    ['a __proto__ key', '{"email":"a@b.example","kind":"email_opened","__proto__":{"x":1}}', /^__proto__: is not allowed as a field name$/m],
    ['malformed JSON', '{"email":', /malformed JSON/],
    ['too many activities', { activities: Array.from({ length: 1001 }, () => ({ email: 'a@b.example', kind: 'email_opened' })) }, /at most 1000 activities, got 1001/],
    ['activities not an array', { activities: 'many' }, /activities: must be an array/],
  ])('answers 400 for %s', async (_name, body, pattern) => {
    const response = await postJson(app, '/v1/activities', body);
    expect(response.status).toBe(400);
    expect(await problemText(response)).toMatch(pattern);
  });

  it('answers 503 with Retry-After while Kafka cannot acknowledge', async () => {
    await app.stopBroker();
    const response = await postJson(app, '/v1/activities', { activities: [{ email: 'a@kafka-down.example', kind: 'email_clicked' }] });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  }, 30_000);
});
