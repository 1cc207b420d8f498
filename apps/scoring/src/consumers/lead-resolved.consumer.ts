import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, type EnrichedLead, type LeadMerged, type LeadQualified, type LeadResolved, type LeadScored, type LeadUnmerged } from '@leadstream/contracts';
import { lockOn, type StageBatch } from '@leadstream/platform-stage';
import { ActiveRuleSetCache } from '../persistence/active-rule-set.cache';
import { emailLockKey, leadActivityRepository, normalEmail, type LeadRow } from '../persistence/lead-activity.repository';
import { leadScoreRepository } from '../persistence/lead-score.repository';
import { ScoringRound } from './scoring-round';

/** The events that give a lead a (new) record to score. */
export type ScoringCause = LeadResolved | LeadMerged | LeadUnmerged;

/** One lead to score on one record, and the stage name its outgoing events' ids derive from. */
interface ScoreTarget {
  readonly leadId: string;
  readonly lead: EnrichedLead;
  /** 'scoring' for the lead the event is about; lead.qualified uses `${stage}.qualification`. */
  readonly stage: 'scoring' | 'scoring.survivor';
}

/**
 * What each cause scores: lead.resolved the surviving lead on the surviving record; lead.merged the
 * survivor on the merged record (the absorbed leads stop living on their own: nothing to score);
 * lead.unmerged the split-off lead on its own record, under its own id, and the former survivor on its
 * record rebuilt without it. Distinct stage names keep the two unmerge outputs' event ids distinct and
 * deterministic.
 */
export function scoreTargetsOf(event: ScoringCause): readonly ScoreTarget[] {
  switch (event.type) {
    case 'lead.resolved':
      return [{ leadId: event.data.masterLeadId, lead: event.data.lead, stage: 'scoring' }];
    case 'lead.merged':
      return [{ leadId: event.data.survivorLeadId, lead: event.data.lead, stage: 'scoring' }];
    case 'lead.unmerged':
      return [
        { leadId: event.metadata.leadId, lead: event.data.lead, stage: 'scoring' },
        { leadId: event.data.formerSurvivorLeadId, lead: event.data.survivorLead, stage: 'scoring.survivor' },
      ];
    default: {
      const unhandled: never = event;
      throw new Error(`scoring does not handle ${(unhandled as ScoringCause).type}`);
    }
  }
}

/**
 * The address of the record, given to the lead it came from (provenance.email; the survivor when the
 * record has no provenance) and, for a newcomer merged on its email, to the newcomer too: those leads
 * are known to have it. Other leads keep the address scoring knew them by.
 */
function ownEmails(record: EnrichedLead, survivorId: string, provenance: Readonly<Record<string, string>> | undefined, alsoOwnedBy?: string): Map<string, string> {
  const email = normalEmail(record.email);
  const owners = new Map<string, string>();
  if (email === undefined) return owners;
  owners.set(provenance?.['email'] ?? survivorId, email);
  if (alsoOwnedBy !== undefined) owners.set(alsoOwnedBy, email);
  return owners;
}

function clusterRows(survivorId: string, record: EnrichedLead, members: readonly string[], emails: ReadonlyMap<string, string>): LeadRow[] {
  return [...new Set([survivorId, ...members])].map((leadId) => ({
    leadId,
    clusterId: survivorId,
    ...(emails.has(leadId) ? { email: emails.get(leadId) } : {}),
    record: leadId === survivorId ? record : null,
  }));
}

/**
 * What the event says about scoring's leads: each member's cluster (its surviving lead), the survivor's
 * record, and the addresses known to be whose. A lead.resolved names its cluster (clusterLeadIds, when
 * dedupe sends it) and at least the newcomer; a lead.merged every lead of the cluster; a lead.unmerged
 * the split-off lead on its own and the leads left with the former survivor.
 */
export function leadsOf(event: ScoringCause): LeadRow[] {
  switch (event.type) {
    case 'lead.resolved': {
      const { masterLeadId, lead, provenance, matchedOn, clusterLeadIds } = event.data;
      const newcomer = event.metadata.leadId;
      const onEmail = newcomer !== masterLeadId && (matchedOn ?? '').split('+').includes('email') ? newcomer : undefined;
      return clusterRows(masterLeadId, lead, [...(clusterLeadIds ?? []), newcomer], ownEmails(lead, masterLeadId, provenance, onEmail));
    }
    case 'lead.merged': {
      const { survivorLeadId, lead, provenance, clusterLeadIds, mergedLeadIds } = event.data;
      return clusterRows(survivorLeadId, lead, [...clusterLeadIds, ...mergedLeadIds], ownEmails(lead, survivorLeadId, provenance));
    }
    case 'lead.unmerged': {
      const split = event.metadata.leadId;
      const { formerSurvivorLeadId, lead, survivorLead, provenance, clusterLeadIds } = event.data;
      return [
        ...clusterRows(split, lead, [], ownEmails(lead, split, undefined)),
        ...clusterRows(formerSurvivorLeadId, survivorLead, clusterLeadIds.filter((id) => id !== split), ownEmails(survivorLead, formerSurvivorLeadId, provenance)),
      ];
    }
    default: {
      const unhandled: never = event;
      throw new Error(`scoring does not handle ${(unhandled as ScoringCause).type}`);
    }
  }
}

/**
 * What a lead event locks: every lead it scores; every lead whose cluster it changes (the newcomer of a
 * lead.resolved, the absorbed leads of a lead.merged), so an activity naming one of them by id waits for
 * the change or is seen by it; and the address of every record it stores, which is the key an activity
 * naming its lead by that address locks, so a lead and an activity that arrive together for one address
 * cannot both miss each other (the activity pending, the lead scored without it).
 */
export function lockKeysOf(event: ScoringCause): string[] {
  const leads = scoreTargetsOf(event).map((target) => target.leadId);
  if (event.type === 'lead.resolved') leads.push(event.metadata.leadId);
  if (event.type === 'lead.merged') leads.push(...event.data.mergedLeadIds);
  const emails = scoreTargetsOf(event).flatMap((target) => normalEmail(target.lead.email) ?? []);
  return [...new Set([...leads, ...emails.map(emailLockKey)])];
}

/**
 * lead.resolved, lead.merged, lead.unmerged -> lead.scored for each lead scoreTargetsOf names, plus
 * lead.qualified when that lead crosses the MQL or SQL threshold for the first time. Keeps scoring.lead
 * (each lead's cluster, the survivors' records, the addresses) up to date, attaches pending activities
 * whose address a lead now has, and scores each lead with the activities of every lead of its cluster
 * as the batch leaves them (one query). One stage over the three topics, locked as lockKeysOf says, so
 * two lanes or two replicas scoring one lead decide its stage one after the other. Each batch is
 * scored with the rule set active when its transaction reads it (POST /v1/scoring/rule-sets/:version/activate).
 */
@Controller()
export class LeadResolvedConsumer {
  private readonly activeRuleSet = new ActiveRuleSetCache();

  @EventPattern([TOPICS.leadResolved, TOPICS.leadMerged, TOPICS.leadUnmerged], lockOn<ScoringCause>(lockKeysOf))
  async handle(@Payload() batch: StageBatch<ScoringCause>): Promise<(LeadScored | LeadQualified)[]> {
    const ruleSet = await this.activeRuleSet.load(batch.transaction);
    const targets = batch.events.map(({ event }) => ({ event, targets: scoreTargetsOf(event) }));
    const scoredIds = [...new Set(targets.flatMap((item) => item.targets.map((target) => target.leadId)))];
    const leads = batch.events.flatMap(({ event }) => leadsOf(event));
    await leadActivityRepository.storeLeads(batch.transaction, leads);
    // Activities that named an address before any lead had it are the lead's from now on.
    await leadActivityRepository.attachPending(batch.transaction, new Map(leads.flatMap((lead) => (lead.email === undefined ? [] : [[lead.email, lead.leadId] as const]))));
    const stages = await leadScoreRepository.loadStages(batch.transaction, scoredIds);
    const activities = await leadActivityRepository.loadClusterActivities(batch.transaction, scoredIds);
    const round = new ScoringRound(ruleSet, stages, batch.now);
    for (const { event, targets: leads } of targets) {
      for (const { leadId, lead, stage: stageName } of leads) round.score(event, stageName, leadId, lead, activities.get(leadId) ?? []);
    }
    await round.store(batch.transaction);
    return round.outgoing;
  }
}
