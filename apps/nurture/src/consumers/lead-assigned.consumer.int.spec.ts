// Nurture as a stage against PostgreSQL: redelivery, overlap, and a crash between commit and publish.
import type { LeadAssigned } from '@leadstream/contracts';
import { declaredStage, fixedClock, KILLED_BEFORE_PUBLISHING, StageUnderTest } from '@leadstream/platform-stage';
import { aLeadAssignedEvent, nextLeadId } from '@leadstream/testing';
import { CreateNurtureTables1763900000000 } from '../persistence/migrations/1763900000000-create-nurture-tables';
import { LeadAssignedConsumer, NURTURE_CONFIG } from './lead-assigned.consumer';

jest.setTimeout(60_000);

let nurture: StageUnderTest<LeadAssigned>;
beforeAll(async () => {
  nurture = await StageUnderTest.open({
    schema: 'nurture',
    migrations: [CreateNurtureTables1763900000000],
    stage: declaredStage(new LeadAssignedConsumer(), 'handle'),
    clock: fixedClock('2026-12-01T10:00:00.000Z'),
  });
});
afterAll(() => nurture?.close());

const toNurtureQueue = (leadId: string): LeadAssigned =>
  aLeadAssignedEvent().forLead(leadId).withDataPatch({ assignee: { kind: 'queue', queueId: NURTURE_CONFIG.nurtureQueueId }, grade: 'D', score: 5 }).build();
const enrolments = (leadId: string): Promise<unknown[]> => nurture.query(`SELECT sequence_id FROM nurture.enrolment WHERE lead_id = $1`, [leadId]);

it('the same batch delivered twice gives the same nurture.enrolled and one enrolment; a lead given to a rep is not enrolled', async () => {
  const lead = nextLeadId();
  const toRep = aLeadAssignedEvent().build();
  const batch = [toNurtureQueue(lead), toRep];
  const first = await nurture.deliver(batch);
  const second = await nurture.deliver(batch);
  expect(first.map((event) => [event.type, event.metadata.leadId])).toEqual([['nurture.enrolled', lead]]);
  expect(second).toEqual(first);
  expect(await enrolments(lead)).toEqual([{ sequence_id: NURTURE_CONFIG.sequenceId }]);
  expect(await enrolments(toRep.metadata.leadId)).toEqual([]);
});

it('a lead assigned to the nurture queue twice at once, in two lanes of two replicas, is enrolled once', async () => {
  const replica = await nurture.replica();
  for (let round = 0; round < 30; round += 1) {
    const lead = nextLeadId();
    const [a, b] = await Promise.all([nurture.deliver([toNurtureQueue(lead)]), replica.deliver([toNurtureQueue(lead)], 'bulk')]);
    expect([...a, ...b]).toHaveLength(1);
    expect(await enrolments(lead)).toHaveLength(1);
  }
});

it('a service killed between commit and publish republishes the stored enrolment when it restarts', async () => {
  const crashing = await nurture.crashingReplica(fixedClock('2026-12-01T11:00:00.000Z'));
  const lead = nextLeadId();
  const batch = [toNurtureQueue(lead)];
  await expect(crashing.deliver(batch)).rejects.toThrow(KILLED_BEFORE_PUBLISHING);
  const restarted = await nurture.replica({ clock: fixedClock('2026-12-01T11:30:00.000Z') });
  const republished = await restarted.deliver(batch);
  expect(republished.map((event) => [event.type, event.metadata.occurredAt])).toEqual([['nurture.enrolled', '2026-12-01T11:00:00.000Z']]);
  expect(await enrolments(lead)).toHaveLength(1);
});
