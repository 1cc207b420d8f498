// Routing as a stage against PostgreSQL: redelivery, overlapping lanes and replicas (one owner per
// lead, a rotation that neither skips nor doubles a rep), and a crash between commit and publish.
import type { LeadAssigned, LeadScored } from '@leadstream/contracts';
import { declaredStage, fixedClock, KILLED_BEFORE_PUBLISHING, StageUnderTest } from '@leadstream/platform-stage';
import { aLeadScoredEvent, nextLeadId } from '@leadstream/testing';
import { CreateRoutingTables1763900000000 } from '../persistence/migrations/1763900000000-create-routing-tables';
import { readRoutingConfig } from '../routing-config.provider';
import { LeadScoredConsumer } from './lead-scored.consumer';

jest.setTimeout(60_000);

const clock = fixedClock('2026-12-01T10:00:00.000Z');
let routing: StageUnderTest<LeadScored>;

beforeAll(async () => {
  const consumer = new LeadScoredConsumer(readRoutingConfig({ ROUTING_REPS: 'rep-1:Ada,rep-2:Grace,rep-3:Alan' }));
  routing = await StageUnderTest.open({ schema: 'routing', migrations: [CreateRoutingTables1763900000000], stage: declaredStage(consumer, 'handle'), clock });
});
afterAll(() => routing?.close());

const aHotScore = (leadId: string): LeadScored => aLeadScoredEvent().forLead(leadId).withDataPatch({ score: 80, grade: 'A' }).build();
const cursor = async (): Promise<number> => (await routing.query<{ next_index: number }>(`SELECT next_index FROM routing.round_robin WHERE pool = 'default'`))[0]?.next_index ?? 0;
const owners = (leadId: string): Promise<{ assignee_id: string }[]> => routing.query(`SELECT assignee_id FROM routing.assignment WHERE lead_id = $1`, [leadId]);
const repOf = (event: LeadAssigned | undefined): string | undefined => (event?.data.assignee.kind === 'rep' ? event.data.assignee.repId : undefined);

it('the same batch delivered twice gives the same assignment and takes one turn of the rotation', async () => {
  const lead = nextLeadId();
  const batch = [aHotScore(lead)];
  const turn = await cursor();
  const first = await routing.deliver(batch);
  clock.set('2026-12-01T10:09:00.000Z');
  const second = await routing.deliver(batch);
  expect(first).toHaveLength(1);
  expect(second).toEqual(first);
  expect(await owners(lead)).toHaveLength(1);
  expect(await cursor()).toBe(turn + 1);
});

it('two scores of one lead at once, in two lanes of two replicas, assign it once', async () => {
  const replica = await routing.replica();
  for (let round = 0; round < 30; round += 1) {
    const lead = nextLeadId();
    const [a, b] = await Promise.all([routing.deliver([aHotScore(lead)], 'live'), replica.deliver([aHotScore(lead)], 'bulk')]);
    expect([...a, ...b]).toHaveLength(1);
    expect(await owners(lead)).toHaveLength(1);
  }
});

it('leads routed by two replicas at once share the rotation: no rep skipped or given two turns in a row of three', async () => {
  const replica = await routing.replica();
  const assigned: string[] = [];
  for (let round = 0; round < 20; round += 1) {
    const [a, b] = await Promise.all([routing.deliver([aHotScore(nextLeadId())]), replica.deliver([aHotScore(nextLeadId())], 'bulk')]);
    assigned.push(...[...a, ...b].map((event) => repOf(event as LeadAssigned) ?? 'queue'));
  }
  const counts = new Map<string, number>();
  for (const rep of assigned) counts.set(rep, (counts.get(rep) ?? 0) + 1);
  expect([...counts.keys()].sort()).toEqual(['rep-1', 'rep-2', 'rep-3']);
  const sizes = [...counts.values()];
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  expect(sizes.reduce((sum, n) => sum + n, 0)).toBe(40);
});

it('a service killed between commit and publish republishes the stored assignment when it restarts', async () => {
  const crashing = await routing.crashingReplica(fixedClock('2026-12-01T11:00:00.000Z'));
  const lead = nextLeadId();
  const batch = [aHotScore(lead)];
  await expect(crashing.deliver(batch)).rejects.toThrow(KILLED_BEFORE_PUBLISHING);
  const turn = await cursor();
  const restarted = await routing.replica({ clock: fixedClock('2026-12-01T11:30:00.000Z') });
  const republished = await restarted.deliver(batch);
  expect(republished.map((event) => [event.type, event.metadata.occurredAt, repOf(event as LeadAssigned)])).toEqual([
    ['lead.assigned', '2026-12-01T11:00:00.000Z', (await owners(lead))[0]?.assignee_id],
  ]);
  expect(await cursor()).toBe(turn);
});
