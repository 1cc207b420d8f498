import type { ActivityKind, EnrichedLead, Grade, QualificationStage } from '@leadstream/contracts';
import { isActivityRule, type LeadCondition, type ScoringRuleSet } from './rule-set';

export interface ScoreReason {
  readonly rule: string;
  readonly points: number;
}

export interface LeadScore {
  /** Sum of the reasons' points (may be negative). */
  readonly score: number;
  readonly grade: Grade;
  /** The rules that fired, in rule-set order, with the points each gave. */
  readonly reasons: ScoreReason[];
}

/** What scoring needs to know of an activity; the adapter passes the lead's recorded activities. */
export interface ScoredActivity {
  readonly kind: ActivityKind;
}

function fieldText(lead: EnrichedLead, condition: LeadCondition): string | boolean | undefined {
  const value = lead[condition.field];
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed.length === 0 ? undefined : trimmed.toLowerCase();
  }
  return value;
}

function holds(lead: EnrichedLead, condition: LeadCondition): boolean {
  const value = fieldText(lead, condition);
  switch (condition.op) {
    case 'present':
      return value !== undefined;
    case 'absent':
      return value === undefined;
    case 'equals':
      return typeof condition.value === 'boolean' ? value === condition.value : value === condition.value.trim().toLowerCase();
    case 'in':
      return typeof value === 'string' && condition.value.some((option) => option.trim().toLowerCase() === value);
    case 'contains':
      return typeof value === 'string' && condition.value.some((part) => value.includes(part.toLowerCase()));
    default: {
      const unhandled: never = condition;
      throw new Error(`unhandled condition ${JSON.stringify(unhandled)}`);
    }
  }
}

export function gradeFor(score: number, ruleSet: ScoringRuleSet): Grade {
  if (score >= ruleSet.grades.A) return 'A';
  if (score >= ruleSet.grades.B) return 'B';
  if (score >= ruleSet.grades.C) return 'C';
  return 'D';
}

/**
 * Scores a lead with a (validated) rule set: each lead rule whose conditions all hold adds its points
 * once; each activity rule adds its points per matching activity, up to its cap. Same inputs, same score.
 */
export function scoreLead(lead: EnrichedLead, ruleSet: ScoringRuleSet, activities: readonly ScoredActivity[] = []): LeadScore {
  const reasons: ScoreReason[] = [];
  for (const rule of ruleSet.rules) {
    let points = 0;
    if (isActivityRule(rule)) {
      const count = activities.filter((activity) => activity.kind === rule.activity).length;
      points = count * rule.points;
      if (rule.maxPoints !== undefined) points = rule.points >= 0 ? Math.min(points, rule.maxPoints) : Math.max(points, -rule.maxPoints);
    } else {
      const conditions: readonly LeadCondition[] = Array.isArray(rule.when) ? rule.when : [rule.when as LeadCondition];
      if (conditions.every((condition) => holds(lead, condition))) points = rule.points;
    }
    if (points !== 0) reasons.push({ rule: rule.id, points });
  }
  const score = reasons.reduce((sum, reason) => sum + reason.points, 0);
  return { score, grade: gradeFor(score, ruleSet), reasons };
}

/**
 * The stage a lead reaches with `score`, only when it crosses a threshold it had not crossed before:
 * SQL at or above sqlThreshold unless already SQL, MQL at or above mqlThreshold when not yet qualified.
 * Never downgrades: a falling score yields undefined.
 */
export function qualify(score: number, ruleSet: ScoringRuleSet, previousStage?: QualificationStage): QualificationStage | undefined {
  if (previousStage === 'SQL') return undefined;
  if (score >= ruleSet.sqlThreshold) return 'SQL';
  if (previousStage === undefined && score >= ruleSet.mqlThreshold) return 'MQL';
  return undefined;
}
