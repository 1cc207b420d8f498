// Inbox pruning against PostgreSQL: inbox and outbox rows older than the retention go, younger ones stay,
// in passes of bounded size; a pruned event is processed again when it comes back, a kept one replays.
import { reactTo, type LeadEnriched } from '@leadstream/contracts';
import { serializeEvent } from '@leadstream/platform-kafka';
import { aLeadReceivedEvent } from '@leadstream/testing';
import { pruneInbox } from './inbox-pruner';
import { StageUnderTest } from './stage-under-test';

jest.setTimeout(60_000);

let stage: StageUnderTest<ReturnType<ReturnType<typeof aLeadReceivedEvent>['build']>>;
let decided = 0;
beforeAll(async () => {
  stage = await StageUnderTest.open({
    schema: 'prune_test',
    migrations: [],
    stage: {
      name: 'counting',
      handler: async (batch) => {
        decided += batch.events.length;
        return batch.events.map(({ event }) =>
          reactTo<LeadEnriched>(event, 'counting', { type: 'lead.enriched', data: { lead: { ...event.data.lead, emailDomain: 'example.com', isFreeEmail: false } }, occurredAt: batch.now.toISOString() }),
        );
      },
    },
  });
});
afterAll(() => stage?.close());

it('deletes inbox and outbox rows older than the cutoff and keeps the others', async () => {
  const old = Array.from({ length: 12_345 }, () => aLeadReceivedEvent().build());
  const recent = [aLeadReceivedEvent().build()];
  for (let i = 0; i < old.length; i += 2_000) await stage.deliver(old.slice(i, i + 2_000));
  await stage.query(`UPDATE prune_test.stage_inbox SET processed_at = now() - interval '8 days'`);
  await stage.query(`UPDATE prune_test.stage_outbox SET created_at = now() - interval '8 days'`);
  const [first] = await stage.deliver(recent);

  expect(await pruneInbox(stage.dataSource, 'prune_test', new Date(Date.now() - 7 * 24 * 3_600_000))).toBe(old.length);
  expect(await stage.query(`SELECT event_id FROM prune_test.stage_inbox`)).toEqual([{ event_id: recent[0]!.metadata.eventId }]);
  expect(await stage.query(`SELECT count(*)::int AS n FROM prune_test.stage_outbox`)).toEqual([{ n: 1 }]);

  decided = 0;
  const again = await stage.deliver([old[0]!, recent[0]!]);
  expect(decided).toBe(1); // the pruned one is new again; the kept one is still known
  expect(again.map(serializeEvent)).toContain(serializeEvent(first!)); // and republishes what it produced
});
