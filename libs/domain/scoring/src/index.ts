export {
  CONDITION_OPS,
  SCORABLE_FIELDS,
  isActivityRule,
  type ActivityRule,
  type ConditionOp,
  type LeadCondition,
  type LeadRule,
  type ScorableField,
  type ScoringRule,
  type ScoringRuleSet,
} from './rule-set';
export { InvalidRuleSetError, validateRuleSet } from './validate-rule-set';
export { gradeFor, qualify, scoreLead, type LeadScore, type ScoreReason, type ScoredActivity } from './score-lead';
export { DEMO_RULE_SET } from './demo-rule-set';
