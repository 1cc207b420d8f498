import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  reactTo,
  TOPICS,
  type EnrichedLead,
  type LeadMerged,
  type LeadQualified,
  type LeadResolved,
  type LeadScored,
  type LeadUnmerged,
  type QualificationStage,
} from '@leadstream/contracts';
import { qualify, scoreLead } from '@leadstream/domain-scoring';
import { lockOn, type StageBatch } from '@leadstream/platform-stage';
import { ActiveRuleSetCache } from '../persistence/active-rule-set.cache';
import { leadScoreRepository, type LeadScoreRow, type QualificationRow } from '../persistence/lead-score.repository';

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
 * lead.resolved, lead.merged, lead.unmerged -> lead.scored for each lead scoreTargetsOf names, plus
 * lead.qualified when that lead crosses the MQL or SQL threshold for the first time. One stage over the
 * three topics, locked on every lead it scores (an unmerge: the split-off lead and the former survivor),
 * so two lanes or two replicas scoring one lead decide its stage one after the other. Each batch is
 * scored with the rule set active when its transaction reads it (POST /v1/scoring/rule-sets/:version/activate).
 */
@Controller()
export class LeadResolvedConsumer {
  private readonly activeRuleSet = new ActiveRuleSetCache();

  @EventPattern([TOPICS.leadResolved, TOPICS.leadMerged, TOPICS.leadUnmerged], lockOn<ScoringCause>((event) => scoreTargetsOf(event).map((target) => target.leadId)))
  async handle(@Payload() batch: StageBatch<ScoringCause>): Promise<(LeadScored | LeadQualified)[]> {
    const ruleSet = await this.activeRuleSet.load(batch.transaction);
    const occurredAt = batch.now.toISOString();
    const targets = batch.events.map(({ event }) => ({ event, targets: scoreTargetsOf(event) }));
    const stages = await leadScoreRepository.loadStages(batch.transaction, [...new Set(targets.flatMap((item) => item.targets.map((target) => target.leadId)))]);
    const outgoing: (LeadScored | LeadQualified)[] = [];
    const scores: LeadScoreRow[] = [];
    const qualifications: QualificationRow[] = [];

    for (const { event, targets: leads } of targets) {
      const causeEventId = event.metadata.eventId;
      for (const { leadId, lead, stage: stageName } of leads) {
        const result = scoreLead(lead, ruleSet, [], batch.now);
        scores.push({ leadId, score: result.score, grade: result.grade, ruleSetVersion: ruleSet.version, causeEventId });
        outgoing.push(
          reactTo<LeadScored>(event, stageName, {
            type: 'lead.scored',
            leadId,
            data: { score: result.score, grade: result.grade, ruleSetVersion: ruleSet.version, reasons: result.reasons, lead },
            occurredAt,
          }),
        );
        const stage: QualificationStage | undefined = qualify(result.score, ruleSet, stages.get(leadId));
        if (stage === undefined) continue;
        stages.set(leadId, stage);
        qualifications.push({ leadId, stage, score: result.score, ruleSetVersion: ruleSet.version, causeEventId });
        outgoing.push(
          reactTo<LeadQualified>(event, `${stageName}.qualification`, {
            type: 'lead.qualified',
            leadId,
            data: { stage, score: result.score, ruleSetVersion: ruleSet.version },
            occurredAt,
          }),
        );
      }
    }

    await leadScoreRepository.storeScores(batch.transaction, scores);
    await leadScoreRepository.storeQualifications(batch.transaction, qualifications);
    return outgoing;
  }
}
