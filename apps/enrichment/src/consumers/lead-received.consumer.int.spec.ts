// Enrichment as a stage against PostgreSQL. It keeps no state of its own, so overlapping calls have
// nothing to race on; what the stage gives it is that a redelivery, or a restart after a crash between
// commit and publish, yields the event first produced (same occurredAt), not a new one.
import type { LeadReceived } from '@leadstream/contracts';
import { declaredStage, fixedClock, KILLED_BEFORE_PUBLISHING, StageUnderTest } from '@leadstream/platform-stage';
import { aLead, aLeadReceivedEvent } from '@leadstream/testing';
import { LeadReceivedConsumer } from './lead-received.consumer';

jest.setTimeout(60_000);

const clock = fixedClock('2026-12-01T10:00:00.000Z');
let enrichment: StageUnderTest<LeadReceived>;
beforeAll(async () => {
  enrichment = await StageUnderTest.open({ schema: 'enrichment', migrations: [], stage: declaredStage(new LeadReceivedConsumer(), 'handle'), clock });
});
afterAll(() => enrichment?.close());

it('the same batch delivered twice, later, gives the enriched events of the first delivery', async () => {
  const batch = [aLeadReceivedEvent(aLead().withEmail(' Ada@Example.COM ').build()).build()];
  const first = await enrichment.deliver(batch);
  clock.set('2026-12-01T10:30:00.000Z');
  const second = await enrichment.deliver(batch);
  expect(first).toHaveLength(1);
  expect(second).toEqual(first);
  expect(second[0]?.metadata.occurredAt).toBe('2026-12-01T10:00:00.000Z');
});

it('a service killed between commit and publish republishes the stored event when it restarts', async () => {
  const crashing = await enrichment.crashingReplica(fixedClock('2026-12-01T11:00:00.000Z'));
  const batch = [aLeadReceivedEvent().build()];
  await expect(crashing.deliver(batch)).rejects.toThrow(KILLED_BEFORE_PUBLISHING);
  const restarted = await enrichment.replica({ clock: fixedClock('2026-12-01T11:30:00.000Z') });
  expect((await restarted.deliver(batch)).map((event) => [event.type, event.metadata.occurredAt])).toEqual([['lead.enriched', '2026-12-01T11:00:00.000Z']]);
});
