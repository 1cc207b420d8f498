import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { reactTo, TOPICS, type LeadQualified, type LeadResolved, type LeadScored, type QualificationStage } from '@leadstream/contracts';
import { qualify, scoreLead, type ScoringRuleSet } from '@leadstream/domain-scoring';
import type { ConsumedEvent } from '@leadstream/platform-kafka';
import { SCORING_RULE_SET } from '../scoring-rule-set.provider';

interface Qualification {
  lead_id: string;
  stage: QualificationStage;
  cause_event_id: string;
}

/**
 * lead.resolved -> lead.scored, plus lead.qualified when the score crosses the MQL or SQL threshold.
 * Scores are a pure function of the lead and the rule set; qualifications are stored with the event
 * that caused them, so a redelivered batch emits exactly what the first delivery emitted.
 */
@Injectable()
export class LeadResolvedConsumer {
  static readonly groupId = 'leadstream-scoring';
  static readonly topics = [TOPICS.leadResolved] as const;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SCORING_RULE_SET) private readonly ruleSet: ScoringRuleSet,
  ) {}

  async handle(batch: readonly ConsumedEvent[]): Promise<(LeadScored | LeadQualified)[]> {
    const resolved = batch.map(({ event }) => event).filter((event): event is LeadResolved => event.type === 'lead.resolved');
    if (resolved.length === 0) return [];
    const occurredAt = new Date().toISOString();
    const ruleSet = this.ruleSet;

    return this.dataSource.transaction(async (manager) => {
      const masterIds = [...new Set(resolved.map((event) => event.data.masterLeadId))];
      const reached = await this.loadQualifications(manager, masterIds);
      const outgoing: (LeadScored | LeadQualified)[] = [];
      const scores: { leadId: string; score: number; grade: string; cause: string }[] = [];
      const newQualifications: (Qualification & { score: number })[] = [];

      for (const event of resolved) {
        const leadId = event.data.masterLeadId;
        const result = scoreLead(event.data.lead, ruleSet);
        scores.push({ leadId, score: result.score, grade: result.grade, cause: event.metadata.eventId });
        outgoing.push(
          reactTo<LeadScored>(event, 'scoring', {
            type: 'lead.scored',
            leadId,
            data: { score: result.score, grade: result.grade, ruleSetVersion: ruleSet.version, reasons: result.reasons, lead: event.data.lead },
            occurredAt,
          }),
        );

        const stagesOfLead = reached.get(leadId) ?? [];
        const causedHere = stagesOfLead.find((row) => row.cause_event_id === event.metadata.eventId);
        const stage = causedHere ? causedHere.stage : qualify(result.score, ruleSet, highestStage(stagesOfLead));
        if (stage === undefined) continue;
        if (!causedHere) {
          const row = { lead_id: leadId, stage, cause_event_id: event.metadata.eventId, score: result.score };
          newQualifications.push(row);
          reached.set(leadId, [...stagesOfLead, row]);
        }
        outgoing.push(
          reactTo<LeadQualified>(event, 'scoring.qualification', {
            type: 'lead.qualified',
            leadId,
            data: { stage, score: result.score, ruleSetVersion: ruleSet.version },
            occurredAt,
          }),
        );
      }

      await this.storeScores(manager, scores, ruleSet.version);
      await this.storeQualifications(manager, newQualifications, ruleSet.version);
      return outgoing;
    });
  }

  private async loadQualifications(manager: EntityManager, leadIds: readonly string[]): Promise<Map<string, Qualification[]>> {
    const rows: Qualification[] = await manager.query(
      `SELECT lead_id, stage, cause_event_id FROM scoring.qualification WHERE lead_id = ANY($1::uuid[])`,
      [leadIds],
    );
    const byLead = new Map<string, Qualification[]>();
    for (const row of rows) byLead.set(row.lead_id, [...(byLead.get(row.lead_id) ?? []), row]);
    return byLead;
  }

  private async storeScores(
    manager: EntityManager,
    scores: readonly { leadId: string; score: number; grade: string; cause: string }[],
    ruleSetVersion: string,
  ): Promise<void> {
    // Last one per lead wins within the batch (a multi-row upsert may not touch a row twice).
    const latest = new Map(scores.map((row) => [row.leadId, row]));
    const rows = [...latest.values()];
    await manager.query(
      `INSERT INTO scoring.lead_score (lead_id, score, grade, rule_set_version, cause_event_id)
       SELECT lead_id, score, grade, $5, cause FROM unnest($1::uuid[], $2::int[], $3::text[], $4::uuid[]) AS t(lead_id, score, grade, cause)
       ON CONFLICT (lead_id) DO UPDATE SET score = EXCLUDED.score, grade = EXCLUDED.grade,
         rule_set_version = EXCLUDED.rule_set_version, cause_event_id = EXCLUDED.cause_event_id, updated_at = now()`,
      [rows.map((row) => row.leadId), rows.map((row) => row.score), rows.map((row) => row.grade), rows.map((row) => row.cause), ruleSetVersion],
    );
  }

  private async storeQualifications(
    manager: EntityManager,
    rows: readonly (Qualification & { score: number })[],
    ruleSetVersion: string,
  ): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO scoring.qualification (lead_id, stage, score, rule_set_version, cause_event_id)
       SELECT lead_id, stage, score, $5, cause FROM unnest($1::uuid[], $2::text[], $3::int[], $4::uuid[]) AS t(lead_id, stage, score, cause)
       ON CONFLICT (lead_id, stage) DO NOTHING`,
      [rows.map((row) => row.lead_id), rows.map((row) => row.stage), rows.map((row) => row.score), rows.map((row) => row.cause_event_id), ruleSetVersion],
    );
  }
}

function highestStage(rows: readonly Qualification[]): QualificationStage | undefined {
  if (rows.some((row) => row.stage === 'SQL')) return 'SQL';
  if (rows.some((row) => row.stage === 'MQL')) return 'MQL';
  return undefined;
}
