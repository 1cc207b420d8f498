export {
  CONDITION_OPS,
  FIRMOGRAPHIC_FIELDS,
  LEAD_FIELDS,
  OPS_BY_FIELD_TYPE,
  RULE_ID,
  SCORABLE_FIELDS,
  fieldType,
  type Condition,
  type ConditionOp,
  type EngagementCount,
  type EngagementRule,
  type FieldType,
  type FitRule,
  type GradeThresholds,
  type ScorableField,
  type ScoringRuleSet,
} from './rule-set';
export { InvalidRuleSetError, validateRuleSet } from './validate-rule-set';
export { MAX_REASON_ACTIVITY_IDS, gradeFor, qualify, qualifyByPerson, scoreLead, type LeadScore, type ScoredActivity } from './score-lead';
export { DEMO_RULE_SET } from './demo-rule-set';
