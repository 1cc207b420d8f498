import { ACTIVITY_KINDS, DEPARTMENTS, DomainError, SENIORITIES, type ActivityKind } from '@leadstream/contracts';
import {
  CONDITION_OPS,
  MAX_VERSION_LENGTH,
  OPS_BY_FIELD_TYPE,
  RULE_ID,
  SCORABLE_FIELDS,
  fieldType,
  type Condition,
  type EngagementRule,
  type FitRule,
  type GradeThresholds,
  type ScorableField,
  type ScoringRuleSet,
} from './rule-set';

/** A scoring rule set that cannot be used; `path` names the offending entry, e.g. `engagement[2].minCount`. */
export class InvalidRuleSetError extends DomainError {
  readonly code = 'SCORING.INVALID_RULE_SET' as const;

  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path === '' ? 'the rule set' : path} ${problem}`);
  }
}

type Json = Record<string, unknown>;

function fail(path: string, problem: string): never {
  throw new InvalidRuleSetError(path, problem);
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function object(value: unknown, path: string, allowed: readonly string[]): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, `must be an object, got ${shown(value)}`);
  for (const key of Object.keys(value)) {
    // Rule sets are hand-written: an unknown key is most likely a typo that would silently do nothing.
    if (!allowed.includes(key)) fail(child(path, key), `is not a known setting (expected one of ${allowed.join(', ')})`);
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

function positive(value: unknown, path: string): number {
  const number = finite(value, path);
  if (!(number > 0)) fail(path, `must be a number above 0, got ${number}`);
  return number;
}

function list(value: unknown, path: string, what: string): readonly unknown[] {
  if (!Array.isArray(value) || value.length === 0) fail(path, `must be a non-empty list of ${what}, got ${shown(value)}`);
  return value;
}

function texts(value: unknown, path: string): readonly string[] {
  return list(value, path, 'strings').map((item, index) => text(item, `${path}[${index}]`));
}

function numbers(value: unknown, path: string): readonly number[] {
  return list(value, path, 'numbers').map((item, index) => finite(item, `${path}[${index}]`));
}

function ruleId(value: unknown, path: string): string {
  if (typeof value !== 'string' || !RULE_ID.test(value)) fail(path, `must be 1-64 of a-z, 0-9, '-', '_', got ${shown(value)}`);
  return value;
}

function optional<K extends string, T>(shape: Json, key: K, read: (value: unknown) => T): { [P in K]?: T } {
  const value = shape[key];
  return (value === undefined ? {} : { [key]: read(value) }) as { [P in K]?: T };
}

/** Values the enrichment stage can give these fields; a rule testing for anything else could never fire. */
const KNOWN_VALUES: Partial<Record<ScorableField, readonly string[]>> = { seniority: SENIORITIES, department: DEPARTMENTS };

function knownValue(field: ScorableField, value: string, path: string): string {
  const known = KNOWN_VALUES[field];
  if (known !== undefined && !known.includes(value.trim().toLowerCase())) fail(path, `must be a ${field} enrichment gives (${known.join(', ')}), got ${shown(value)}`);
  return value;
}

function condition(raw: unknown, path: string): Condition {
  const shape = object(raw, path, ['field', 'op', 'value']);
  const field = shape['field'];
  if (!SCORABLE_FIELDS.includes(field as ScorableField)) fail(`${path}.field`, `must be one of ${SCORABLE_FIELDS.join(', ')}, got ${shown(field)}`);
  const scorable = field as ScorableField;
  const type = fieldType(scorable);
  const op = shape['op'];
  if (!CONDITION_OPS.includes(op as Condition['op'])) fail(`${path}.op`, `must be one of ${CONDITION_OPS.join(', ')}, got ${shown(op)}`);
  const allowed = OPS_BY_FIELD_TYPE[type];
  if (!allowed.includes(op as Condition['op'])) fail(`${path}.op`, `must be one of ${allowed.join(', ')} for the ${type} field ${scorable}, got ${shown(op)}`);
  const value = shape['value'];
  const at = `${path}.value`;
  switch (op as Condition['op']) {
    case 'present':
    case 'absent':
      if (value !== undefined) fail(at, `must be left out for '${op}', got ${shown(value)}`);
      return { field: scorable, op: op as 'present' | 'absent' };
    case 'equals':
      if (type === 'boolean') {
        if (typeof value !== 'boolean') fail(at, `must be true or false for ${scorable}, got ${shown(value)}`);
        return { field: scorable, op: 'equals', value };
      }
      if (type === 'number') return { field: scorable, op: 'equals', value: finite(value, at) };
      return { field: scorable, op: 'equals', value: knownValue(scorable, text(value, at), at) };
    case 'in':
      if (type === 'number') return { field: scorable, op: 'in', value: numbers(value, at) };
      return { field: scorable, op: 'in', value: texts(value, at).map((item, index) => knownValue(scorable, item, `${at}[${index}]`)) };
    case 'contains':
      return { field: scorable, op: 'contains', value: typeof value === 'string' ? text(value, at) : texts(value, at) };
    case 'atLeast':
    case 'atMost':
      return { field: scorable, op: op as 'atLeast' | 'atMost', value: finite(value, at) };
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2) fail(at, `must be [min, max], two numbers, got ${shown(value)}`);
      const min = finite(value[0], `${at}[0]`);
      const max = finite(value[1], `${at}[1]`);
      if (min > max) fail(at, `must be [min, max] with min at most max, got ${shown(value)}`);
      return { field: scorable, op: 'between', value: [min, max] };
    }
  }
}

function when(value: unknown, path: string): Condition | readonly Condition[] {
  if (!Array.isArray(value)) return condition(value, path);
  if (value.length === 0) fail(path, 'must hold at least one condition, got []');
  return value.map((item, index) => condition(item, `${path}[${index}]`));
}

function fitRule(raw: unknown, path: string): FitRule {
  const shape = object(raw, path, ['id', 'description', 'when', 'points']);
  return {
    id: ruleId(shape['id'], `${path}.id`),
    ...optional(shape, 'description', (value) => text(value, `${path}.description`)),
    when: when(shape['when'], `${path}.when`),
    points: finite(shape['points'], `${path}.points`),
  };
}

function activityKind(value: unknown, path: string): ActivityKind {
  if (!ACTIVITY_KINDS.includes(value as ActivityKind)) fail(path, `must be one of ${ACTIVITY_KINDS.join(', ')}, got ${shown(value)}`);
  return value as ActivityKind;
}

const ENGAGEMENT_KEYS = ['id', 'description', 'activity', 'urlContains', 'points', 'count', 'minCount', 'maxPoints', 'decays', 'withinDays'];

function engagementRule(raw: unknown, path: string): EngagementRule {
  const shape = object(raw, path, ENGAGEMENT_KEYS);
  return {
    id: ruleId(shape['id'], `${path}.id`),
    ...optional(shape, 'description', (value) => text(value, `${path}.description`)),
    activity: activityKind(shape['activity'], `${path}.activity`),
    ...optional(shape, 'urlContains', (value) => texts(value, `${path}.urlContains`)),
    points: finite(shape['points'], `${path}.points`),
    ...optional(shape, 'count', (value) => {
      if (value !== 'each' && value !== 'once') fail(`${path}.count`, `must be 'each' or 'once', got ${shown(value)}`);
      return value;
    }),
    ...optional(shape, 'minCount', (value) => {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(`${path}.minCount`, `must be a whole number of at least 1, got ${shown(value)}`);
      return value;
    }),
    ...optional(shape, 'maxPoints', (value) => positive(value, `${path}.maxPoints`)),
    ...optional(shape, 'decays', (value) => {
      if (typeof value !== 'boolean') fail(`${path}.decays`, `must be true or false, got ${shown(value)}`);
      return value;
    }),
    ...optional(shape, 'withinDays', (value) => positive(value, `${path}.withinDays`)),
  };
}

function rules<R>(value: unknown, path: string, read: (raw: unknown, path: string) => R): R[] {
  if (!Array.isArray(value)) fail(path, `must be a list of rules, got ${shown(value)}`);
  return value.map((item, index) => read(item, `${path}[${index}]`));
}

function uniqueIds(rules: readonly { readonly id: string; readonly path: string }[]): void {
  const seen = new Map<string, string>();
  for (const { id, path } of rules) {
    const first = seen.get(id);
    if (first !== undefined) fail(`${path}.id`, `must be unique, got ${shown(id)}, the id of ${first}`);
    seen.set(id, path);
  }
}

function version(value: unknown): string {
  const given = text(value, 'version');
  if (given.length > MAX_VERSION_LENGTH) fail('version', `must be at most ${MAX_VERSION_LENGTH} characters, got ${given.length}`);
  return given;
}

function gradesAndThresholds(shape: Json): Pick<ScoringRuleSet, 'grades' | 'mqlThreshold' | 'sqlThreshold'> {
  const raw = object(shape['grades'], 'grades', ['A', 'B', 'C']);
  const grades: GradeThresholds = { A: finite(raw['A'], 'grades.A'), B: finite(raw['B'], 'grades.B'), C: finite(raw['C'], 'grades.C') };
  if (!(grades.B < grades.A)) fail('grades.B', `must be below grades.A (${grades.A}), got ${grades.B}`);
  if (!(grades.C < grades.B)) fail('grades.C', `must be below grades.B (${grades.B}), got ${grades.C}`);
  const mqlThreshold = finite(shape['mqlThreshold'], 'mqlThreshold');
  const sqlThreshold = finite(shape['sqlThreshold'], 'sqlThreshold');
  if (!(mqlThreshold < sqlThreshold)) fail('mqlThreshold', `must be below sqlThreshold (${sqlThreshold}), got ${mqlThreshold}`);
  return { grades, mqlThreshold, sqlThreshold };
}

const KEYS = ['version', 'description', 'fit', 'engagement', 'decay', 'maxScore', 'minScore', 'grades', 'mqlThreshold', 'sqlThreshold'];
const LEGACY_KEYS = ['version', 'rules', 'grades', 'mqlThreshold', 'sqlThreshold'];

function current(shape: Json): ScoringRuleSet {
  object(shape, '', KEYS);
  const given = version(shape['version']);
  const fit = rules(shape['fit'], 'fit', fitRule);
  const engagement = rules(shape['engagement'], 'engagement', engagementRule);
  uniqueIds([...fit.map((rule, index) => ({ id: rule.id, path: `fit[${index}]` })), ...engagement.map((rule, index) => ({ id: rule.id, path: `engagement[${index}]` }))]);
  const ruleSet: ScoringRuleSet = {
    version: given,
    ...optional(shape, 'description', (value) => text(value, 'description')),
    fit,
    engagement,
    ...optional(shape, 'decay', (value) => ({ halfLifeDays: positive(object(value, 'decay', ['halfLifeDays'])['halfLifeDays'], 'decay.halfLifeDays') })),
    ...optional(shape, 'maxScore', (value) => finite(value, 'maxScore')),
    ...optional(shape, 'minScore', (value) => finite(value, 'minScore')),
    ...gradesAndThresholds(shape),
  };
  const { maxScore, minScore } = ruleSet;
  if (maxScore !== undefined && minScore !== undefined && !(minScore < maxScore)) fail('minScore', `must be below maxScore (${maxScore}), got ${minScore}`);
  if (maxScore !== undefined) {
    // A threshold above the highest possible score is a grade or stage no lead could ever reach.
    for (const [path, threshold] of [['grades.A', ruleSet.grades.A], ['mqlThreshold', ruleSet.mqlThreshold], ['sqlThreshold', ruleSet.sqlThreshold]] as const) {
      if (threshold > maxScore) fail(path, `must be at most maxScore (${maxScore}) or no lead could reach it, got ${threshold}`);
    }
  }
  return ruleSet;
}

/**
 * The format before fit and engagement rules (rule-set files written for it keep working): one `rules`
 * list of lead rules `{ id, when, points }` and activity rules `{ id, activity, points, maxPoints? }`,
 * each activity counted with no decay. Errors name the entry in the file as written (`rules[3].maxPoints`).
 */
function legacy(shape: Json): ScoringRuleSet {
  object(shape, '', LEGACY_KEYS);
  const given = version(shape['version']);
  const raw = shape['rules'];
  if (!Array.isArray(raw)) fail('rules', `must be a list of rules, got ${shown(raw)}`);
  const fit: FitRule[] = [];
  const engagement: EngagementRule[] = [];
  const ids: { id: string; path: string }[] = [];
  raw.forEach((item: unknown, index) => {
    const path = `rules[${index}]`;
    if (item !== null && typeof item === 'object' && 'activity' in item) {
      const rule = object(item, path, ['id', 'description', 'activity', 'points', 'maxPoints']);
      let points = finite(rule['points'], `${path}.points`);
      let maxPoints: number | undefined;
      if (rule['maxPoints'] !== undefined) {
        maxPoints = finite(rule['maxPoints'], `${path}.maxPoints`);
        if (maxPoints < 0) fail(`${path}.maxPoints`, `must be zero or more, got ${maxPoints}`);
        // The old format allowed a cap of 0: a rule that could give nothing, which is what 0 points says now.
        if (maxPoints === 0) {
          points = 0;
          maxPoints = undefined;
        }
      }
      const converted: EngagementRule = {
        id: ruleId(rule['id'], `${path}.id`),
        ...optional(rule, 'description', (value) => text(value, `${path}.description`)),
        activity: activityKind(rule['activity'], `${path}.activity`),
        points,
        count: 'each',
        ...(maxPoints === undefined ? {} : { maxPoints }),
      };
      engagement.push(converted);
      ids.push({ id: converted.id, path });
    } else {
      const converted = fitRule(item, path);
      fit.push(converted);
      ids.push({ id: converted.id, path });
    }
  });
  uniqueIds(ids);
  return { version: given, fit, engagement, ...gradesAndThresholds(shape) };
}

/**
 * Checks a rule set loaded from configuration, storage or an API body and returns it typed. Throws
 * InvalidRuleSetError ('SCORING.INVALID_RULE_SET') naming the first bad entry and saying what was
 * expected and what was given: unknown keys (likely typos), fields, operators or values that do not fit
 * the field, duplicate or malformed rule ids, grades not A > B > C, MQL not below SQL, minScore not below
 * maxScore, a threshold above maxScore. A rule set in the older `rules` format is converted.
 */
export function validateRuleSet(raw: unknown): ScoringRuleSet {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('', `must be an object, got ${shown(raw)}`);
  const shape = raw as Json;
  if ('rules' in shape) {
    const mixed = ['fit', 'engagement', 'decay', 'maxScore', 'minScore', 'description'].find((key) => key in shape);
    if (mixed !== undefined) fail('rules', `is the older format's rule list and cannot be combined with '${mixed}': move its rules into 'fit' and 'engagement'`);
    return legacy(shape);
  }
  return current(shape);
}
