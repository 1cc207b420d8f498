// Merges and unmerges in analytics against PostgreSQL: lead.merged (logged under the survivor) and
// lead.unmerged (logged under the split-off lead) change the state of other leads too; whatever the
// order and batching, each lead's stored state equals the fold of its history (its own events and the
// events linked to it), and the HTTP reads follow the merges.
import { NotFoundException } from '@nestjs/common';
import { topicFor, type EnrichedLead, type LeadMerged, type LeadUnmerged, type LeadstreamEvent } from '@leadstream/contracts';
import { projectLeadState, type LeadState } from '@leadstream/domain-analytics';
import type { ConsumedEvent } from '@leadstream/platform-kafka';
import { declaredStage, StageUnderTest } from '@leadstream/platform-stage';
import {
  aLeadAssignedEvent,
  aLeadEnrichedEvent,
  aLeadMergedEvent,
  aLeadQualifiedEvent,
  aLeadReceivedEvent,
  aLeadResolvedEvent,
  aLeadScoredEvent,
  aLeadUnmergedEvent,
  anEnrichedLead,
  nextLeadId,
} from '@leadstream/testing';
import type { DataSource } from 'typeorm';
import { AccountLeadsController } from '../http/account-leads.controller';
import { LeadHistoryController } from '../http/lead-history.controller';
import { ANALYTICS_MIGRATIONS } from '../persistence/migrations';
import { EveryTopicConsumer } from './every-topic.consumer';

jest.setTimeout(60_000);

let analytics: StageUnderTest<LeadstreamEvent>;
let dataSource: DataSource;
let leads: LeadHistoryController;
let accounts: AccountLeadsController;

beforeAll(async () => {
  analytics = await StageUnderTest.open({ schema: 'analytics', migrations: ANALYTICS_MIGRATIONS, stage: declaredStage(new EveryTopicConsumer(), 'handle') });
  dataSource = analytics.dataSource;
  leads = new LeadHistoryController(dataSource);
  accounts = new AccountLeadsController(dataSource);
});
afterAll(() => analytics?.close());

let offset = 0;
function consumed(event: LeadstreamEvent): ConsumedEvent {
  offset += 1;
  return { event, topic: topicFor(event.type), partition: 0, offset: String(offset), headers: {} };
}
const deliver = (events: readonly LeadstreamEvent[]): Promise<unknown> => analytics.deliverConsumed(events.map(consumed));

const at = (second: number): string => `2026-03-01T10:00:${String(second).padStart(2, '0')}.000Z`;

function withAccount(lead: EnrichedLead, accountId: string): EnrichedLead {
  return { ...lead, accountId };
}

/** A lead that is resolved new, scored, qualified and assigned, a second apart from `start`. */
/** The shared builders, at a given second of the test's clock. */
const mergedAt = (survivor: string, merged: readonly string[], record: EnrichedLead, second: number): LeadMerged => aLeadMergedEvent(survivor, merged, record).at(at(second)).build();
const unmergedAt = (split: string, formerSurvivor: string, own: EnrichedLead, survivorRecord: EnrichedLead, second: number): LeadUnmerged =>
  aLeadUnmergedEvent(split, formerSurvivor, own, survivorRecord).at(at(second)).build();

function journey(leadId: string, start: number, record: EnrichedLead = anEnrichedLead().build()): LeadstreamEvent[] {
  return [
    aLeadReceivedEvent().forLead(leadId).at(at(start)).build(),
    aLeadEnrichedEvent(record).forLead(leadId).at(at(start + 1)).build(),
    aLeadResolvedEvent(record).forLead(leadId).at(at(start + 2)).build(),
    aLeadScoredEvent(record).forLead(leadId).at(at(start + 3)).withDataPatch({ score: 75, grade: 'A' }).build(),
    aLeadQualifiedEvent().forLead(leadId).at(at(start + 3)).build(),
    aLeadAssignedEvent().forLead(leadId).at(at(start + 4)).withDataPatch({ score: 75, grade: 'A' }).build(),
  ];
}



async function storedState(leadId: string): Promise<LeadState | undefined> {
  const rows: { state: LeadState }[] = await dataSource.query(`SELECT state FROM analytics.lead_state WHERE lead_id = $1`, [leadId]);
  return rows[0]?.state;
}

/** The fold of the lead's whole history (its own events and those linked to it) in log order, JSON-normalised. */
async function refoldedFromLog(leadId: string): Promise<unknown> {
  const rows: { type: LeadstreamEvent['type']; version: number; data: unknown; event_id: string; lead_id: string; occurred_at: Date; correlation_id: string; causation_id: string | null }[] =
    await dataSource.query(
      `SELECT type, version, data, event_id, lead_id, occurred_at, correlation_id, causation_id FROM analytics.event_log
        WHERE lead_id = $1 OR event_id IN (SELECT event_id FROM analytics.event_lead WHERE lead_id = $1)
        ORDER BY occurred_at, seq`,
      [leadId],
    );
  const events = rows.map(
    (row) =>
      ({
        type: row.type,
        version: row.version,
        data: row.data,
        metadata: { eventId: row.event_id, leadId: row.lead_id, occurredAt: row.occurred_at.toISOString(), correlationId: row.correlation_id, causationId: row.causation_id },
      }) as LeadstreamEvent,
  );
  return JSON.parse(JSON.stringify(projectLeadState(events, leadId)));
}

async function expectEveryStateToEqualItsRefold(leadIds: readonly string[]): Promise<void> {
  for (const leadId of leadIds) expect({ leadId, state: await storedState(leadId) }).toEqual({ leadId, state: await refoldedFromLog(leadId) });
}

describe('lead.merged', () => {
  it('is folded into the survivor and into every lead it absorbs, in the transaction that logs it', async () => {
    const [survivor, absorbed, member] = [nextLeadId(), nextLeadId(), nextLeadId()];
    const account = nextLeadId();
    const merged = withAccount(anEnrichedLead().withEmail('ada@acme.example').build(), account);
    await deliver([...journey(survivor, 0), ...journey(absorbed, 0), ...journey(member, 0)]);
    await deliver([mergedAt(survivor, [absorbed, member], merged, 10)]);

    expect(await storedState(survivor)).toMatchObject({ status: 'assigned', email: 'ada@acme.example', accountId: account, lastEventAt: at(10) });
    for (const leadId of [absorbed, member]) {
      expect(await storedState(leadId)).toMatchObject({ status: 'merged', mergedInto: survivor, statusBeforeMerge: 'assigned', lastEventAt: at(10) });
    }
    const columns = await dataSource.query(`SELECT lead_id, status, merged_into, account_id FROM analytics.lead_state WHERE lead_id = ANY($1::uuid[]) ORDER BY status`, [
      [survivor, absorbed],
    ]);
    expect(columns).toEqual([
      { lead_id: survivor, status: 'assigned', merged_into: null, account_id: account },
      { lead_id: absorbed, status: 'merged', merged_into: survivor, account_id: null },
    ]);
    await expectEveryStateToEqualItsRefold([survivor, absorbed, member]);
  });

  it('arriving before events of the absorbed lead that happened earlier (late) or later: every state equals its refold', async () => {
    const orders = [
      [6, 0, 1, 2, 3, 4, 5],
      [0, 1, 6, 5, 4, 3, 2],
      [6, 5, 4, 3, 2, 1, 0],
      [2, 6, 0, 4, 1, 5, 3],
    ];
    for (const order of orders) {
      for (const batchSize of [1, 3]) {
        const [survivor, absorbed] = [nextLeadId(), nextLeadId()];
        await deliver(journey(survivor, 0));
        // the absorbed lead's journey spans the merge: seconds 20..24, merged at 22
        const events = [...journey(absorbed, 20), mergedAt(survivor, [absorbed], anEnrichedLead().build(), 22)];
        const sequence = order.map((i) => events[i]!);
        for (let i = 0; i < sequence.length; i += batchSize) {
          await deliver(sequence.slice(i, i + batchSize));
          await deliver(sequence.slice(0, i + 1)); // a redelivery changes nothing
          await expectEveryStateToEqualItsRefold([survivor, absorbed]);
        }
        expect(await storedState(absorbed)).toMatchObject({ status: 'merged', mergedInto: survivor, lastEventAt: at(24) });
      }
    }
  });

  it("reaching two replicas at once with the absorbed lead's own events: each state ends in the fold of its history", async () => {
    const replica = await analytics.replica();
    for (let round = 0; round < 10; round += 1) {
      const [survivor, absorbed] = [nextLeadId(), nextLeadId()];
      const own = journey(absorbed, 0);
      await deliver(own.slice(0, 2));
      await Promise.all([
        analytics.deliverConsumed([consumed(mergedAt(survivor, [absorbed], anEnrichedLead().build(), 3)), ...journey(survivor, 0).map(consumed)]),
        replica.deliver(own.slice(2), 'bulk'),
      ]);
      await expectEveryStateToEqualItsRefold([survivor, absorbed]);
      expect((await storedState(absorbed))?.status).toBe('merged');
    }
  });
});

describe('lead.unmerged', () => {
  it('gives the split-off lead its own status and record again, and the former survivor its rebuilt record', async () => {
    const [survivor, split] = [nextLeadId(), nextLeadId()];
    const [account, ownAccount] = [nextLeadId(), nextLeadId()];
    await deliver([...journey(survivor, 0), ...journey(split, 0)]);
    await deliver([mergedAt(survivor, [split], withAccount(anEnrichedLead().withEmail('both@acme.example').build(), account), 10)]);
    await deliver([
      unmergedAt(
        split,
        survivor,
        withAccount(anEnrichedLead().withEmail('grace@other.example').build(), ownAccount),
        withAccount(anEnrichedLead().withEmail('ada@acme.example').build(), account),
        20,
      ),
    ]);
    expect(await storedState(split)).toMatchObject({ status: 'assigned', email: 'grace@other.example', accountId: ownAccount, lastEventAt: at(20) });
    expect(await storedState(split)).not.toHaveProperty('mergedInto');
    expect(await storedState(survivor)).toMatchObject({ status: 'assigned', email: 'ada@acme.example', accountId: account, lastEventAt: at(20) });
    expect(await leads.lead(split)).toMatchObject({ mergedInto: null, canonicalLeadId: split, accountId: ownAccount });
    await expectEveryStateToEqualItsRefold([survivor, split]);
  });

  it('arriving before the merge it undoes (a late merge): the states still equal their refolds', async () => {
    const [survivor, split] = [nextLeadId(), nextLeadId()];
    await deliver([...journey(survivor, 0), ...journey(split, 0)]);
    const record = anEnrichedLead().build();
    await deliver([unmergedAt(split, survivor, record, record, 20)]);
    await deliver([mergedAt(survivor, [split], record, 10)]);
    await expectEveryStateToEqualItsRefold([survivor, split]);
    expect((await storedState(split))?.status).toBe('assigned');
    expect(await storedState(split)).not.toHaveProperty('mergedInto');
  });
});

describe('GET /v1/leads/:id', () => {
  it('names the canonical lead through a chain of merges (A into B, B into C) and the account', async () => {
    const [a, b, c] = [nextLeadId(), nextLeadId(), nextLeadId()];
    const account = nextLeadId();
    await deliver([...journey(b, 0), ...journey(c, 0, withAccount(anEnrichedLead().build(), account))]);
    await deliver([aLeadReceivedEvent().forLead(a).at(at(5)).build(), aLeadResolvedEvent(anEnrichedLead().build()).forLead(a).merged(b).at(at(6)).build()]);
    await deliver([mergedAt(c, [b], withAccount(anEnrichedLead().build(), account), 10)]);

    expect(await leads.lead(a)).toMatchObject({ status: 'merged', mergedInto: b, canonicalLeadId: c });
    expect(await leads.lead(b)).toMatchObject({ status: 'merged', mergedInto: c, canonicalLeadId: c });
    expect(await leads.lead(c)).toMatchObject({ status: 'assigned', mergedInto: null, canonicalLeadId: c, accountId: account });
  });

  it('a merged lead whose survivor analytics has not seen yet: canonical is the survivor named', async () => {
    const [a, b] = [nextLeadId(), nextLeadId()];
    await deliver([aLeadResolvedEvent(anEnrichedLead().build()).forLead(a).merged(b).build()]);
    expect(await leads.lead(a)).toMatchObject({ canonicalLeadId: b, accountId: null });
  });

  it('answers for a cycle of merges (A into B, B into A) without looping', async () => {
    const [a, b] = [nextLeadId(), nextLeadId()];
    await deliver([aLeadResolvedEvent(anEnrichedLead().build()).forLead(a).merged(b).build(), aLeadResolvedEvent(anEnrichedLead().build()).forLead(b).merged(a).build()]);
    expect((await leads.lead(a))['canonicalLeadId']).toBe(b);
    expect((await leads.lead(b))['canonicalLeadId']).toBe(a);
    expect((await leads.history(a)).leadIds).toEqual([a]);
  });
});

describe('GET /v1/leads/:id/history', () => {
  it("of a surviving lead: the events of every lead of its cluster in time order, each naming its lead; of a merged lead: its own and the merge's", async () => {
    const [survivor, absorbed, duplicate] = [nextLeadId(), nextLeadId(), nextLeadId()];
    await deliver([...journey(survivor, 0), ...journey(absorbed, 2)]);
    const resolvedDuplicate = aLeadResolvedEvent(anEnrichedLead().build()).forLead(duplicate).merged(survivor).at(at(9)).build();
    const merge = mergedAt(survivor, [absorbed], anEnrichedLead().build(), 10);
    await deliver([resolvedDuplicate, merge]);

    const cluster = await leads.history(survivor);
    expect([...cluster.leadIds].sort()).toEqual([survivor, absorbed, duplicate].sort());
    expect(cluster.leadIds[0]).toBe(survivor);
    expect(cluster.events).toHaveLength(6 + 6 + 2);
    const times = cluster.events.map((entry) => Date.parse(entry.occurredAt));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(cluster.events.filter((entry) => entry.leadId === absorbed)).toHaveLength(6);
    expect(cluster.events.filter((entry) => entry.leadId === duplicate).map((entry) => entry.type)).toEqual(['lead.resolved']);
    expect(cluster.events.at(-1)).toMatchObject({ type: 'lead.merged', leadId: survivor, eventId: merge.metadata.eventId });

    const own = await leads.history(absorbed);
    expect(own.leadIds).toEqual([absorbed]);
    expect(own.events.map((entry) => [entry.leadId, entry.type])).toEqual([
      ...journey(absorbed, 2).map((event) => [absorbed, event.type]),
      [survivor, 'lead.merged'],
    ]);
  });

  it('of a former survivor after an unmerge: no longer the split-off lead\'s events, but the unmerge itself', async () => {
    const [survivor, split] = [nextLeadId(), nextLeadId()];
    await deliver([...journey(survivor, 0), ...journey(split, 0)]);
    const record = anEnrichedLead().build();
    await deliver([mergedAt(survivor, [split], record, 10)]);
    expect((await leads.history(survivor)).events).toHaveLength(13);
    await deliver([unmergedAt(split, survivor, record, record, 20)]);
    const history = await leads.history(survivor);
    expect(history.leadIds).toEqual([survivor]);
    expect(history.events.map((entry) => entry.type).slice(-2)).toEqual(['lead.merged', 'lead.unmerged']);
    expect(history.events.filter((entry) => entry.leadId === split).map((entry) => entry.type)).toEqual(['lead.unmerged']);
  });
});

describe('GET /v1/accounts/:accountId/leads', () => {
  it("lists the account's surviving leads with status, score, grade and owner, paged; 404 for an account without leads", async () => {
    const account = nextLeadId();
    const members = [nextLeadId(), nextLeadId(), nextLeadId(), nextLeadId()];
    for (const leadId of members) await deliver(journey(leadId, 0, withAccount(anEnrichedLead().build(), account)));
    const [survivor, absorbed] = members as [string, string];
    await deliver([mergedAt(survivor, [absorbed], withAccount(anEnrichedLead().build(), account), 10)]);
    const surviving = members.filter((leadId) => leadId !== absorbed).sort();

    const first = await accounts.leads(account, '2');
    expect(first.leads.map((lead) => lead.leadId)).toEqual(surviving.slice(0, 2));
    expect(first.leads[0]).toMatchObject({ status: 'assigned', score: 75, grade: 'A', owner: { kind: 'rep' } });
    const second = await accounts.leads(account, '2', first.nextAfter);
    expect(second.leads.map((lead) => lead.leadId)).toEqual(surviving.slice(2));
    expect(second.nextAfter).toBeUndefined();

    const nobody = nextLeadId();
    await expect(accounts.leads(nobody)).rejects.toThrow(new NotFoundException(`no leads recorded for account ${nobody}`));
    await expect(accounts.leads(account, '0')).rejects.toThrow(/limit/);
  });
});
