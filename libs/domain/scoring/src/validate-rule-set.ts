import { ACTIVITY_KINDS, DomainError } from '@leadstream/contracts';
import {
  CONDITION_OPS,
  SCORABLE_FIELDS,
  type ActivityRule,
  type LeadCondition,
  type LeadRule,
  type ScoringRule,
  type ScoringRuleSet,
} from './rule-set';

/** A scoring rule set that cannot be used; `path` names the offending field, e.g. `rules[2].when.op`. */
export class InvalidRuleSetError extends DomainError {
  readonly code = 'SCORING.INVALID_RULE_SET' as const;

  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path} ${problem}`);
  }
}

type Json = Record<string, unknown>;

function fail(path: string, problem: string): never {
  throw new InvalidRuleSetError(path, problem);
}

function shown(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
}

function object(value: unknown, path: string, allowed: readonly string[]): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, `must be an object, got ${shown(value)}`);
  for (const key of Object.keys(value)) {
    // Config is hand-written: an unknown key is most likely a typo that would silently do nothing.
    if (!allowed.includes(key)) fail(path === '' ? key : `${path}.${key}`, `is not a known setting (expected ${allowed.join(', ')})`);
  }
  return value as Json;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim().length === 0) fail(path, `must be a non-empty string, got ${shown(value)}`);
  return value;
}

function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `must be a number, got ${shown(value)}`);
  return value;
}

function cap(value: unknown, path: string): number {
  const points = finite(value, path);
  if (points < 0) fail(path, `must be zero or more (it caps the size of the total either way), got ${points}`);
  return points;
}

function texts(value: unknown, path: string): readonly string[] {
  if (!Array.isArray(value) || value.length === 0) fail(path, `must be a non-empty list of strings, got ${shown(value)}`);
  return value.map((item, index) => text(item, `${path}[${index}]`));
}

function condition(raw: unknown, path: string): LeadCondition {
  const shape = object(raw, path, ['field', 'op', 'value']);
  const field = shape['field'];
  if (!SCORABLE_FIELDS.includes(field as never)) fail(`${path}.field`, `must be one of ${SCORABLE_FIELDS.join(', ')}, got ${shown(field)}`);
  const op = shape['op'];
  const base = { field: field as LeadCondition['field'] };
  switch (op) {
    case 'equals': {
      const value = shape['value'];
      if (typeof value !== 'boolean') text(value, `${path}.value`);
      return { ...base, op, value: value as string | boolean };
    }
    case 'in':
    case 'contains':
      return { ...base, op, value: texts(shape['value'], `${path}.value`) };
    case 'present':
    case 'absent':
      if (shape['value'] !== undefined) fail(`${path}.value`, `must be left out for '${op}'`);
      return { ...base, op };
    default:
      return fail(`${path}.op`, `must be one of ${CONDITION_OPS.join(', ')}, got ${shown(op)}`);
  }
}

function rule(raw: unknown, path: string): ScoringRule {
  if (raw !== null && typeof raw === 'object' && 'activity' in raw) {
    const shape = object(raw, path, ['id', 'description', 'activity', 'points', 'maxPoints']);
    const activity = shape['activity'];
    if (!ACTIVITY_KINDS.includes(activity as never)) fail(`${path}.activity`, `must be one of ${ACTIVITY_KINDS.join(', ')}, got ${shown(activity)}`);
    const activityRule: ActivityRule = {
      id: text(shape['id'], `${path}.id`),
      activity: activity as ActivityRule['activity'],
      points: finite(shape['points'], `${path}.points`),
      ...(shape['description'] !== undefined ? { description: text(shape['description'], `${path}.description`) } : {}),
      ...(shape['maxPoints'] !== undefined ? { maxPoints: cap(shape['maxPoints'], `${path}.maxPoints`) } : {}),
    };
    return activityRule;
  }
  const shape = object(raw, path, ['id', 'description', 'when', 'points']);
  const when = shape['when'];
  const leadRule: LeadRule = {
    id: text(shape['id'], `${path}.id`),
    when: Array.isArray(when)
      ? when.length === 0
        ? fail(`${path}.when`, 'must hold at least one condition')
        : when.map((item, index) => condition(item, `${path}.when[${index}]`))
      : condition(when, `${path}.when`),
    points: finite(shape['points'], `${path}.points`),
    ...(shape['description'] !== undefined ? { description: text(shape['description'], `${path}.description`) } : {}),
  };
  return leadRule;
}

/**
 * Checks a rule set loaded from configuration and returns it typed. Throws InvalidRuleSetError
 * ('SCORING.INVALID_RULE_SET') naming the first bad field: unknown keys, unknown fields or operators,
 * duplicate rule ids, grade thresholds not strictly descending A > B > C, MQL above SQL.
 */
export function validateRuleSet(raw: unknown): ScoringRuleSet {
  const shape = object(raw, '', ['version', 'rules', 'grades', 'mqlThreshold', 'sqlThreshold']);
  const version = text(shape['version'], 'version');
  const rawRules = shape['rules'];
  if (!Array.isArray(rawRules)) fail('rules', `must be a list of rules, got ${shown(rawRules)}`);
  const rules = rawRules.map((item, index) => rule(item, `rules[${index}]`));
  const seen = new Set<string>();
  rules.forEach((r, index) => {
    if (seen.has(r.id)) fail(`rules[${index}].id`, `duplicates the rule id ${shown(r.id)}`);
    seen.add(r.id);
  });
  const gradeShape = object(shape['grades'], 'grades', ['A', 'B', 'C']);
  const grades = { A: finite(gradeShape['A'], 'grades.A'), B: finite(gradeShape['B'], 'grades.B'), C: finite(gradeShape['C'], 'grades.C') };
  if (!(grades.B < grades.A)) fail('grades.B', `must be below grades.A (${grades.A}), got ${grades.B}`);
  if (!(grades.C < grades.B)) fail('grades.C', `must be below grades.B (${grades.B}), got ${grades.C}`);
  const mqlThreshold = finite(shape['mqlThreshold'], 'mqlThreshold');
  const sqlThreshold = finite(shape['sqlThreshold'], 'sqlThreshold');
  if (!(mqlThreshold < sqlThreshold)) fail('mqlThreshold', `must be below sqlThreshold (${sqlThreshold}), got ${mqlThreshold}`);
  return { version, rules, grades, mqlThreshold, sqlThreshold };
}
