import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { reactTo, TOPICS, type LeadQualified, type LeadResolved, type LeadScored, type QualificationStage } from '@leadstream/contracts';
import { qualify, scoreLead, type ScoringRuleSet } from '@leadstream/domain-scoring';
import type { StageBatch } from '@leadstream/platform-stage';
import { leadScoreRepository, type LeadScoreRow, type QualificationRow } from '../persistence/lead-score.repository';
import { SCORING_RULE_SET } from '../scoring-rule-set.provider';

/**
 * lead.resolved -> lead.scored, plus lead.qualified when the surviving lead crosses the MQL or SQL
 * threshold for the first time. A stage: the surviving lead is locked for the transaction (its
 * partition key), so two lanes or two replicas scoring one lead decide its stage one after the other.
 */
@Controller()
export class LeadResolvedConsumer {
  constructor(@Inject(SCORING_RULE_SET) private readonly ruleSet: ScoringRuleSet) {}

  @EventPattern(TOPICS.leadResolved)
  async handle(@Payload() batch: StageBatch<LeadResolved>): Promise<(LeadScored | LeadQualified)[]> {
    const { ruleSet } = this;
    const occurredAt = batch.now.toISOString();
    const stages = await leadScoreRepository.loadStages(batch.transaction, [...new Set(batch.events.map(({ event }) => event.data.masterLeadId))]);
    const outgoing: (LeadScored | LeadQualified)[] = [];
    const scores: LeadScoreRow[] = [];
    const qualifications: QualificationRow[] = [];

    for (const { event } of batch.events) {
      const leadId = event.data.masterLeadId;
      const result = scoreLead(event.data.lead, ruleSet);
      const causeEventId = event.metadata.eventId;
      scores.push({ leadId, score: result.score, grade: result.grade, ruleSetVersion: ruleSet.version, causeEventId });
      outgoing.push(
        reactTo<LeadScored>(event, 'scoring', {
          type: 'lead.scored',
          leadId,
          data: { score: result.score, grade: result.grade, ruleSetVersion: ruleSet.version, reasons: result.reasons, lead: event.data.lead },
          occurredAt,
        }),
      );
      const stage: QualificationStage | undefined = qualify(result.score, ruleSet, stages.get(leadId));
      if (stage === undefined) continue;
      stages.set(leadId, stage);
      qualifications.push({ leadId, stage, score: result.score, ruleSetVersion: ruleSet.version, causeEventId });
      outgoing.push(
        reactTo<LeadQualified>(event, 'scoring.qualification', {
          type: 'lead.qualified',
          leadId,
          data: { stage, score: result.score, ruleSetVersion: ruleSet.version },
          occurredAt,
        }),
      );
    }

    await leadScoreRepository.storeScores(batch.transaction, scores);
    await leadScoreRepository.storeQualifications(batch.transaction, qualifications);
    return outgoing;
  }
}
