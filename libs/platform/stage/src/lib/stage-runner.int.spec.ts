// StageRunner against PostgreSQL: what it refuses, how it splits a large batch, what the inbox and outbox store, the outbox migration, two overlapping deliveries, and duplicates inside one batch.
import { reactTo, type LeadEnriched, type LeadReceived } from '@leadstream/contracts';
import { PermanentError, TransientError, serializeEvent } from '@leadstream/platform-kafka';
import { randomUUID } from 'node:crypto';
import { aLeadEnrichedEvent, aLeadReceivedEvent, nextLeadId } from '@leadstream/testing';
import type { DataSource } from 'typeorm';
import { inflateSync } from 'node:zlib';
import { stageInboxMigration } from './stage-inbox.migration';
import { stageOutboxMigration } from './stage-outbox.migration';
import { advisoryLockIds } from './lead-locks';
import { StageRunner, type StageDefinition } from './stage-runner';
import { consumedAs, StageUnderTest } from './stage-under-test';

jest.setTimeout(60_000);

const decided: string[][] = [];
const enrich: StageDefinition<LeadReceived> = {
  name: 'enrich',
  handler: async (batch) => {
    decided.push(batch.events.map(({ event }) => event.metadata.leadId));
    return batch.events.map(({ event }) =>
      reactTo<LeadEnriched>(event, 'enrich', { type: 'lead.enriched', data: { lead: { ...event.data.lead, emailDomain: 'example.com', isFreeEmail: false } }, occurredAt: batch.now.toISOString() }),
    );
  },
};

let stage: StageUnderTest<LeadReceived>;
let dataSource: DataSource;
beforeAll(async () => {
  stage = await StageUnderTest.open({ schema: 'runner_test', migrations: [], stage: enrich });
  dataSource = stage.dataSource;
});
afterAll(() => stage?.close());
beforeEach(() => {
  decided.length = 0;
});

it('refuses, as a permanent error and storing nothing, an outgoing event that no event of the batch caused', async () => {
  const stray = aLeadEnrichedEvent().build();
  const runner = new StageRunner({ dataSource, schema: 'runner_test', groupId: 'leadstream-runner_test' });
  const received = aLeadReceivedEvent().build();
  const strayStage: StageDefinition<LeadReceived> = { name: 'stray', handler: async () => [stray] };
  const failure = runner.run(strayStage, consumedAs([received]));
  await expect(failure).rejects.toThrow(PermanentError);
  await expect(failure).rejects.toThrow(`with causationId null, which is not an event of its batch`);
  expect(await stage.query(`SELECT 1 FROM runner_test.stage_inbox WHERE event_id = $1`, [received.metadata.eventId])).toEqual([]);
});

it('runs a batch with more leads than the lock budget as several transactions, in order, each leaving its inbox rows', async () => {
  const runner = new StageRunner({ dataSource, schema: 'runner_test', groupId: 'leadstream-runner_test', maxLocksPerTransaction: 2 });
  const leads = [nextLeadId(), nextLeadId(), nextLeadId(), nextLeadId(), nextLeadId()];
  const events = leads.map((lead) => aLeadReceivedEvent().forLead(lead).build());
  const outgoing = await runner.run(enrich, consumedAs(events));
  expect(decided).toEqual([leads.slice(0, 2), leads.slice(2, 4), leads.slice(4)]);
  expect(outgoing.map((event) => event.metadata.causationId)).toEqual(events.map((event) => event.metadata.eventId));
  const stored: { n: number }[] = await stage.query(`SELECT count(*)::int AS n FROM runner_test.stage_inbox WHERE event_id = ANY($1::uuid[])`, [events.map((e) => e.metadata.eventId)]);
  expect(stored).toEqual([{ n: 5 }]);
});

it('stores what a transaction produced as one outbox row of the very JSON that is published, and an event that produced nothing as no pointer', async () => {
  const silent: StageDefinition<LeadReceived> = {
    name: 'two-or-none',
    handler: async (batch) =>
      batch.events.flatMap(({ event }, index) =>
        index === 0
          ? []
          : [1, 2].map((n) => reactTo<LeadEnriched>(event, 'enrich', { type: 'lead.enriched', data: { lead: { ...event.data.lead, emailDomain: 'example.com', isFreeEmail: false, company: `Ünïcode "${n}" \\ Ltd` } }, occurredAt: batch.now.toISOString() })),
      ),
  };
  const runner = new StageRunner({ dataSource, schema: 'runner_test', groupId: 'leadstream-runner_test' });
  const [first, second, third] = [aLeadReceivedEvent().build(), aLeadReceivedEvent().build(), aLeadReceivedEvent().build()];
  const outgoing = await runner.run(silent, consumedAs([first, second, third]));
  expect(outgoing.map((event) => event.metadata.causationId)).toEqual([second, second, third, third].map((event) => event.metadata.eventId));
  const rows: { event_id: string; outbox_id: string | null }[] = await stage.query(
    `SELECT event_id, outbox_id FROM runner_test.stage_inbox WHERE event_id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], event_id)`,
    [[first, second, third].map((event) => event.metadata.eventId)],
  );
  expect(rows.map((row) => row.event_id)).toEqual([first, second, third].map((event) => event.metadata.eventId));
  expect(rows[0]!.outbox_id).toBeNull();
  expect(rows[1]!.outbox_id).not.toBeNull();
  expect(rows[2]!.outbox_id).toBe(rows[1]!.outbox_id);
  const [box] = (await stage.query(`SELECT events FROM runner_test.stage_outbox WHERE id = $1`, [rows[1]!.outbox_id])) as { events: Buffer }[];
  expect(inflateSync(box!.events).toString('utf8')).toBe(`[${outgoing.map(serializeEvent).join(',')}]`);

  // a redelivery of one of them yields its own events only, as stored
  const again = await runner.run(silent, consumedAs([third]));
  expect(again.map(serializeEvent)).toEqual(outgoing.slice(2).map(serializeEvent));
});

it('keeps, through the outbox migration and back, the events that inbox rows of the first layout stored', async () => {
  const schema = 'legacy_inbox_test';
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(`CREATE SCHEMA ${schema}`);
    await new (stageInboxMigration(schema))().up(runner);
    const [event, silentEvent] = [aLeadReceivedEvent().build(), aLeadReceivedEvent().build()];
    const produced = reactTo<LeadEnriched>(event, 'enrich', { type: 'lead.enriched', data: { lead: { ...event.data.lead, emailDomain: 'example.com', isFreeEmail: false } }, occurredAt: '2026-01-02T03:04:05.000Z' });
    const legacy = `[${serializeEvent(produced)}]`;
    await runner.query(`INSERT INTO ${schema}.stage_inbox (consumer_group, event_id, outgoing) VALUES ($1, $2, $3), ($1, $4, NULL)`, [
      'leadstream-legacy',
      event.metadata.eventId,
      legacy,
      silentEvent.metadata.eventId,
    ]);
    await new (stageOutboxMigration(schema))().up(runner);

    const stageRunner = new StageRunner({ dataSource, schema, groupId: 'leadstream-legacy' });
    const replayed = await stageRunner.run(enrich, consumedAs([event, silentEvent]));
    expect(replayed.map(serializeEvent)).toEqual([legacy.slice(1, -1)]);
    expect(decided).toEqual([]);

    await new (stageOutboxMigration(schema))().down(runner);
    expect(await runner.query(`SELECT event_id, outgoing FROM ${schema}.stage_inbox ORDER BY outgoing NULLS LAST`)).toEqual([
      { event_id: event.metadata.eventId, outgoing: legacy },
      { event_id: silentEvent.metadata.eventId, outgoing: null },
    ]);
  } finally {
    await runner.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await runner.release();
  }
});

it('when two deliveries of one event lock different keys and overlap, one commits and the other fails as transient, changing nothing', async () => {
  await dataSource.query(`CREATE TABLE IF NOT EXISTS runner_test.decision (event_id uuid, by_runner text)`);
  let arrived = 0;
  let release: () => void = () => undefined;
  const bothInside = new Promise<void>((resolve) => (release = resolve));
  const racing = (name: string): StageDefinition<LeadReceived> => ({
    name,
    // a key that differs between deliveries: the only way two members can hold one event at once
    lockKeys: () => [randomUUID()],
    handler: async (batch) => {
      for (const { event } of batch.events) await batch.transaction.query(`INSERT INTO runner_test.decision VALUES ($1, $2)`, [event.metadata.eventId, name]);
      if (++arrived === 2) release();
      await bothInside;
      return enrich.handler(batch);
    },
  });
  const event = aLeadReceivedEvent().build();
  const runner = (): StageRunner => new StageRunner({ dataSource, schema: 'runner_test', groupId: 'leadstream-runner_test' });
  const results = await Promise.allSettled([runner().run(racing('one'), consumedAs([event])), runner().run(racing('two'), consumedAs([event]))]);
  const failed = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  expect(failed).toHaveLength(1);
  expect(failed[0]?.reason).toBeInstanceOf(TransientError);
  expect(String(failed[0]?.reason)).toContain('processed concurrently by another member of leadstream-runner_test');
  const decisions: unknown[] = await stage.query(`SELECT by_runner FROM runner_test.decision WHERE event_id = $1`, [event.metadata.eventId]);
  expect(decisions).toHaveLength(1);
  // the retry finds it processed and hands back what the winner stored
  const winner = results.find((result) => result.status === 'fulfilled') as PromiseFulfilledResult<unknown[]>;
  expect(await runner().run(racing('retry'), consumedAs([event]))).toEqual(winner.value);
});

it('decides an event that appears twice in one batch once, and hands its events over once', async () => {
  const event = aLeadReceivedEvent().build();
  const outgoing = await stage.deliver([event, event]);
  expect(decided).toEqual([[event.metadata.leadId]]);
  expect(outgoing).toHaveLength(1);
});

it('runs a sink (inbox: false) under the locks on every event, and refuses one that produces events', async () => {
  const runner = new StageRunner({ dataSource, schema: 'runner_test', groupId: 'leadstream-runner_test' });
  const event = aLeadReceivedEvent().build();
  const seen: string[] = [];
  const sink: StageDefinition<LeadReceived> = { name: 'sink', inbox: false, handler: async (batch) => (seen.push(...batch.events.map((e) => e.event.metadata.eventId)), []) };
  expect(await runner.run(sink, consumedAs([event]))).toEqual([]);
  expect(await runner.run(sink, consumedAs([event]))).toEqual([]);
  expect(seen).toEqual([event.metadata.eventId, event.metadata.eventId]); // its own store must recognise the redelivery
  expect(await stage.query(`SELECT 1 FROM runner_test.stage_inbox WHERE event_id = $1`, [event.metadata.eventId])).toEqual([]);
  await expect(runner.run({ ...enrich, inbox: false }, consumedAs([aLeadReceivedEvent().build()]))).rejects.toThrow('only a sink may go without one');
});

it('locks more keys when the handler asks, and gives the batch back as transient when another transaction holds one', async () => {
  const groupId = 'leadstream-runner_test';
  const runner = new StageRunner({ dataSource, schema: 'runner_test', groupId });
  const survivor = nextLeadId();
  const lateLocking: StageDefinition<LeadReceived> = {
    name: 'late-locking',
    handler: async (batch) => {
      await batch.lockMore([survivor]);
      return [];
    },
  };
  // Free: the batch takes the key and commits.
  const first = aLeadReceivedEvent().build();
  await expect(runner.run(lateLocking, consumedAs([first]))).resolves.toEqual([]);

  // Held by another transaction of the group: the batch gives up after the short wait, storing nothing.
  const holder = dataSource.createQueryRunner();
  await holder.startTransaction();
  try {
    await holder.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [advisoryLockIds(groupId, [survivor])[0]]);
    const second = aLeadReceivedEvent().build();
    const started = Date.now();
    const failure = runner.run(lateLocking, consumedAs([second]));
    await expect(failure).rejects.toThrow(TransientError);
    await expect(failure).rejects.toThrow(`stage late-locking: 1 more key(s) are held by another transaction of ${groupId}; retrying`);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await stage.query(`SELECT 1 FROM runner_test.stage_inbox WHERE event_id = $1`, [second.metadata.eventId])).toEqual([]);
  } finally {
    await holder.rollbackTransaction();
    await holder.release();
  }
});
