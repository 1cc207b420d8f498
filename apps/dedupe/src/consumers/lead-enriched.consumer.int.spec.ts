// Dedupe as a stage against PostgreSQL: redelivery, two duplicates at once in two lanes of two
// replicas, and a crash between commit and publish.
import type { LeadEnriched, LeadResolved } from '@leadstream/contracts';
import { declaredStage, fixedClock, KILLED_BEFORE_PUBLISHING, StageUnderTest } from '@leadstream/platform-stage';
import { aLeadEnrichedEvent, anEnrichedLead, nextLeadId } from '@leadstream/testing';
import { CreateDedupeTables1763900000000 } from '../persistence/migrations/1763900000000-create-dedupe-tables';
import { LeadEnrichedConsumer } from './lead-enriched.consumer';

jest.setTimeout(60_000);

let dedupe: StageUnderTest<LeadEnriched>;
beforeAll(async () => {
  dedupe = await StageUnderTest.open({
    schema: 'dedupe',
    migrations: [CreateDedupeTables1763900000000],
    stage: declaredStage(new LeadEnrichedConsumer(), 'handle'),
    clock: fixedClock('2026-12-01T10:00:00.000Z'),
  });
});
afterAll(() => dedupe?.close());

let person = 0;
const enrichedFor = (email: string): LeadEnriched => aLeadEnrichedEvent(anEnrichedLead().withEmail(email).build()).forLead(nextLeadId()).build();
const nextEmail = (): string => `person.${(person += 1)}@acme-corp.com`;
const resolutions = (email: string): Promise<{ outcome: string }[]> =>
  dedupe.query(`SELECT r.outcome FROM dedupe.resolution r JOIN dedupe.lead_identity i ON i.master_lead_id = r.master_lead_id WHERE i.match_key = $1`, [email]);
const outcome = (event: unknown): [string, string] => {
  const resolved = event as LeadResolved;
  return [resolved.data.outcome, resolved.data.masterLeadId];
};

it('the same batch delivered twice gives the same lead.resolved and one decision per lead', async () => {
  const email = nextEmail();
  const batch = [enrichedFor(email), enrichedFor(email)];
  const first = await dedupe.deliver(batch);
  const second = await dedupe.deliver(batch);
  expect(first.map(outcome)).toEqual([
    ['new', batch[0]!.metadata.leadId],
    ['merged', batch[0]!.metadata.leadId],
  ]);
  expect(second).toEqual(first);
  expect(await resolutions(email)).toHaveLength(2);
});

it('two leads of one person arriving at once in two lanes of two replicas: one survives, the other merges into it', async () => {
  const replica = await dedupe.replica();
  for (let round = 0; round < 30; round += 1) {
    const email = nextEmail();
    const [a, b] = await Promise.all([dedupe.deliver([enrichedFor(email)]), replica.deliver([enrichedFor(email)], 'bulk')]);
    const decided = [...a, ...b].map(outcome);
    expect(decided.map(([kind]) => kind).sort()).toEqual(['merged', 'new']);
    expect(new Set(decided.map(([, master]) => master)).size).toBe(1);
  }
});

it('a service killed between commit and publish republishes the stored resolution when it restarts', async () => {
  const crashing = await dedupe.crashingReplica(fixedClock('2026-12-01T11:00:00.000Z'));
  const email = nextEmail();
  const batch = [enrichedFor(email)];
  await expect(crashing.deliver(batch)).rejects.toThrow(KILLED_BEFORE_PUBLISHING);
  const restarted = await dedupe.replica({ clock: fixedClock('2026-12-01T11:30:00.000Z') });
  const republished = await restarted.deliver(batch);
  expect(republished.map((event) => [...outcome(event), event.metadata.occurredAt])).toEqual([['new', batch[0]!.metadata.leadId, '2026-12-01T11:00:00.000Z']]);
  expect(await resolutions(email)).toHaveLength(1);
});
