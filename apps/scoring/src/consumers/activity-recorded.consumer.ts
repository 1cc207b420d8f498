import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, type ActivityRecorded, type LeadQualified, type LeadScored } from '@leadstream/contracts';
import { TransientError } from '@leadstream/platform-kafka';
import { lockOn, type StageBatch } from '@leadstream/platform-stage';
import type { EntityManager } from 'typeorm';
import { ActiveRuleSetCache } from '../persistence/active-rule-set.cache';
import { emailLockKey, leadActivityRepository, normalEmail, type ActivityRow, type KnownLead } from '../persistence/lead-activity.repository';
import { leadScoreRepository } from '../persistence/lead-score.repository';
import { ScoringRound } from './scoring-round';

/** Rounds of "lock the survivors found, read again" before the batch is retried as transient. */
const MAX_ATTRIBUTION_ROUNDS = 4;

/**
 * An activity by lead id locks that lead: the lead events that change its cluster (lead.resolved of it
 * as newcomer, lead.merged absorbing it, lead.unmerged splitting it off) lock it too. An activity by
 * email locks its address's key (emailLockKey, equal to the provisional lead id ingestion gives it), which
 * the lead consumer locks for the address of every record it stores: so an activity that arrives as its
 * lead does is either seen by the lead's transaction (attached from pending) or sees the lead. Neither
 * key is the surviving lead, which is only known after a read: the handler then locks the survivors it
 * found and reads again (attribute below).
 */
export function activityLockKeys(event: ActivityRecorded): string[] {
  const email = normalEmail(event.data.email);
  return [email === undefined ? event.metadata.leadId : emailLockKey(email)];
}

interface Attribution {
  /** The lead the activity belongs to; null while pending. */
  readonly leadId: string | null;
  /** Its surviving lead, when scoring knows the lead. */
  readonly survivorId?: string;
}

/**
 * By id: that lead (known or not yet: it is counted once the lead arrives), scored on its surviving
 * lead. By email: the lead that has the address (a survivor first, then the smallest id), scored on its
 * surviving lead; no such lead: pending.
 */
function preferred(lead: KnownLead, other: KnownLead): boolean {
  const survivor = lead.leadId === lead.clusterId;
  if (survivor !== (other.leadId === other.clusterId)) return survivor;
  return lead.leadId < other.leadId;
}

async function attribute(transaction: EntityManager, events: readonly { readonly event: ActivityRecorded; readonly email?: string }[]): Promise<Attribution[]> {
  const leadIds = events.flatMap(({ event, email }) => (email === undefined ? [event.metadata.leadId] : []));
  const emails = events.flatMap(({ email }) => email ?? []);
  const known = await leadActivityRepository.findLeads(transaction, [...new Set(leadIds)], [...new Set(emails)]);
  const byId = new Map(known.map((lead) => [lead.leadId, lead]));
  const byEmail = new Map<string, KnownLead>();
  for (const lead of known) {
    if (lead.email === null) continue;
    const before = byEmail.get(lead.email);
    if (before === undefined || preferred(lead, before)) byEmail.set(lead.email, lead);
  }
  return events.map(({ event, email }) => {
    if (email === undefined) {
      const lead = byId.get(event.metadata.leadId);
      return lead === undefined ? { leadId: event.metadata.leadId } : { leadId: lead.leadId, survivorId: lead.clusterId };
    }
    const lead = byEmail.get(email);
    return lead === undefined ? { leadId: null } : { leadId: lead.leadId, survivorId: lead.clusterId };
  });
}

/**
 * activity.recorded -> the activity stored, attributed to its lead (or pending until a lead with its
 * address arrives), and, when attributed to a lead scoring knows, lead.scored for its surviving lead on
 * the surviving record with the activities of every lead of its cluster, plus lead.qualified when that
 * crosses the MQL or SQL threshold for the first time. Several activities of one survivor in a batch
 * rescore it once, caused by the last of them. An activity event seen before (the stage inbox, or the
 * activity table's key once the inbox is pruned) changes nothing.
 */
@Controller()
export class ActivityRecordedConsumer {
  private readonly activeRuleSet = new ActiveRuleSetCache();

  @EventPattern(TOPICS.activityRecorded, lockOn<ActivityRecorded>(activityLockKeys))
  async handle(@Payload() batch: StageBatch<ActivityRecorded>): Promise<(LeadScored | LeadQualified)[]> {
    const { transaction } = batch;
    // An activity whose time cannot be read would never count (the engine skips it), and the timestamptz
    // column would fail the whole batch with it: it is not stored.
    const named = batch.events
      .map(({ event }) => ({ event, email: normalEmail(event.data.email), at: new Date(event.data.at) }))
      .filter((item) => !Number.isNaN(item.at.getTime()));

    // The survivor is known only after a read. Lock the survivors found (the lead consumer locks the
    // leads it scores), then read again: a merge that committed meanwhile may have moved the lead to
    // another survivor, which is then locked too. The locks are taken after the batch's own keys, out of
    // the runner's ascending order (StageBatch.lockMore gives up after a short wait).
    const held = new Set(batch.events.flatMap(({ event }) => activityLockKeys(event)));
    let attributions = await attribute(transaction, named);
    for (let round = 0; ; round += 1) {
      const missing = [...new Set(attributions.flatMap((item) => item.survivorId ?? []))].filter((id) => !held.has(id));
      if (missing.length === 0) break;
      if (round === MAX_ATTRIBUTION_ROUNDS) throw new TransientError(`scoring: the surviving leads of ${missing.join(', ')} kept changing while their activities were attributed; retrying`);
      await batch.lockMore(missing);
      for (const id of missing) held.add(id);
      attributions = await attribute(transaction, named);
    }

    const rows: ActivityRow[] = named.map(({ event, email, at }, index) => ({
      activityId: event.metadata.eventId,
      leadId: attributions[index]?.leadId ?? null,
      email: email ?? null,
      kind: event.data.kind,
      at: at.toISOString(),
      url: event.data.url ?? null,
    }));
    const stored = await leadActivityRepository.storeActivities(transaction, rows);

    // The last stored activity of each survivor causes its rescore.
    const causeBySurvivor = new Map<string, ActivityRecorded>();
    named.forEach(({ event }, index) => {
      const survivorId = attributions[index]?.survivorId;
      if (survivorId !== undefined && stored.has(event.metadata.eventId)) causeBySurvivor.set(survivorId, event);
    });
    if (causeBySurvivor.size === 0) return [];

    const survivorIds = [...causeBySurvivor.keys()];
    // One after the other: the queries share the transaction's connection.
    const ruleSet = await this.activeRuleSet.load(transaction);
    const records = await leadActivityRepository.loadRecords(transaction, survivorIds);
    const stages = await leadScoreRepository.loadStages(transaction, survivorIds);
    const activities = await leadActivityRepository.loadClusterActivities(transaction, survivorIds);
    const round = new ScoringRound(ruleSet, stages, batch.now);
    for (const [leadId, cause] of causeBySurvivor) {
      const lead = records.get(leadId);
      if (lead === undefined) continue; // a survivor always has its record; nothing to score without one
      round.score(cause, 'scoring', leadId, lead, activities.get(leadId) ?? []);
    }
    await round.store(transaction);
    return round.outgoing;
  }
}
