import { reactTo, type EnrichedLead, type LeadQualified, type LeadScored, type LeadstreamEvent, type QualificationStage } from '@leadstream/contracts';
import { qualify, scoreLead, type ScoredActivity, type ScoringRuleSet } from '@leadstream/domain-scoring';
import type { EntityManager } from 'typeorm';
import { leadScoreRepository, type LeadScoreRow, type QualificationRow } from '../persistence/lead-score.repository';

/**
 * The leads one stage transaction scores: each one's score with the active rule set, a lead.scored, and
 * a lead.qualified when it crosses a stage it had not reached (once: `stages` holds what each lead
 * reached, and learns what this round adds). Collected in memory, stored in two statements by `store`.
 */
export class ScoringRound {
  readonly outgoing: (LeadScored | LeadQualified)[] = [];
  private readonly scores: LeadScoreRow[] = [];
  private readonly qualifications: QualificationRow[] = [];
  private readonly occurredAt: string;

  constructor(
    private readonly ruleSet: ScoringRuleSet,
    private readonly stages: Map<string, QualificationStage>,
    private readonly now: Date,
  ) {
    this.occurredAt = now.toISOString();
  }

  /** Scores `leadId` on `lead` (its surviving record) and its cluster's activities, as caused by `cause`; `stageName` derives the outgoing events' ids. */
  score(cause: LeadstreamEvent, stageName: string, leadId: string, lead: EnrichedLead, activities: readonly ScoredActivity[]): void {
    const { ruleSet, occurredAt } = this;
    const causeEventId = cause.metadata.eventId;
    const result = scoreLead(lead, ruleSet, activities, this.now);
    this.scores.push({ leadId, score: result.score, grade: result.grade, ruleSetVersion: ruleSet.version, causeEventId, reasons: result.reasons });
    this.outgoing.push(
      reactTo<LeadScored>(cause, stageName, {
        type: 'lead.scored',
        leadId,
        data: { score: result.score, grade: result.grade, ruleSetVersion: ruleSet.version, reasons: result.reasons, lead },
        occurredAt,
      }),
    );
    const stage = qualify(result.score, ruleSet, this.stages.get(leadId));
    if (stage === undefined) return;
    this.stages.set(leadId, stage);
    this.qualifications.push({ leadId, stage, score: result.score, ruleSetVersion: ruleSet.version, causeEventId });
    this.outgoing.push(
      reactTo<LeadQualified>(cause, `${stageName}.qualification`, {
        type: 'lead.qualified',
        leadId,
        data: { stage, score: result.score, ruleSetVersion: ruleSet.version },
        occurredAt,
      }),
    );
  }

  async store(transaction: EntityManager): Promise<void> {
    await leadScoreRepository.storeScores(transaction, this.scores);
    await leadScoreRepository.storeQualifications(transaction, this.qualifications);
  }
}
