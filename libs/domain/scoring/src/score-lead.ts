import type { ActivityKind, EnrichedLead, Grade, QualificationStage, ScoreReason } from '@leadstream/contracts';
import { comparableOf, compileRuleSet, fieldOf, type CompiledCondition, type CompiledEngagementRule, type CompiledRuleSet, type FieldValue } from './compile-rule-set';
import type { ScoringRuleSet } from './rule-set';

/** What scoring needs to know of an activity; the adapter passes the lead's recorded activities. */
export interface ScoredActivity {
  /** The activity.recorded event id, named in the reasons. */
  readonly activityId: string;
  readonly kind: ActivityKind;
  /** When it happened (ISO 8601). */
  readonly at: string;
  readonly url?: string;
}

export interface LeadScore {
  /** The sum of the reasons' points, clamped to the rule set's minScore and maxScore. */
  readonly score: number;
  readonly grade: Grade;
  /** The rules that gave points (0-point rules left out): fit rules, then engagement rules, each in rule-set order. */
  readonly reasons: ScoreReason[];
  /** The sum of the reasons' points, when minScore or maxScore changed it. */
  readonly uncapped?: number;
}

/** At most this many activity ids per reason; `activityCount` has them all. */
export const MAX_REASON_ACTIVITY_IDS = 20;

/** Rounds to 2 decimals, halves away from zero, and never gives -0. */
function round2(value: number): number {
  const rounded = Math.round(Math.abs(value) * 100) / 100;
  return rounded === 0 ? 0 : value < 0 ? -rounded : rounded;
}

function holds(condition: CompiledCondition, value: FieldValue): boolean {
  switch (condition.test) {
    case 'present':
      return value !== undefined;
    case 'absent':
      return value === undefined;
    case 'equals':
      return value === condition.equals;
    case 'in':
      return (typeof value === 'string' || typeof value === 'number') && condition.set.has(value);
    case 'contains': {
      if (typeof value !== 'string') return false;
      for (const part of condition.parts) if (value.includes(part)) return true;
      return false;
    }
    case 'range':
      return typeof value === 'number' && value >= condition.min && value <= condition.max;
  }
}

function urlMatches(parts: readonly string[] | undefined, url: string | undefined): boolean {
  if (parts === undefined) return true;
  if (url === undefined) return false;
  const lower = url.toLowerCase();
  for (const part of parts) if (lower.includes(part)) return true;
  return false;
}

/**
 * The lead's activities that count at `now`, most recent first (at the same instant by id, so the result
 * does not depend on the order they were loaded in): their indexes into `activities`, ages and decay
 * factors by position. Parsed once per lead, shared by every rule.
 */
interface Counted {
  readonly order: readonly number[];
  readonly ages: readonly number[];
  readonly factors: readonly number[];
}

/** Whether activity `a` (age, id) comes before `b` in the reasons: the more recent first, then by id. */
function before(ageA: number, idA: string, ageB: number, idB: string): boolean {
  return ageA < ageB || (ageA === ageB && idA < idB);
}

function idAt(activities: readonly ScoredActivity[], order: readonly number[], position: number): string {
  return (activities[order[position] as number] as ScoredActivity).activityId;
}

// Most leads have a few dozen activities at most: an insertion sort of those allocates nothing.
const INSERTION_SORT_MAX = 32;

function counted(activities: readonly ScoredActivity[], compiled: CompiledRuleSet, nowMs: number): Counted {
  let order: number[] = [];
  let ages: number[] = [];
  for (let index = 0; index < activities.length; index += 1) {
    const activity = activities[index] as ScoredActivity;
    if (!compiled.activityKinds.has(activity.kind)) continue;
    const age = nowMs - Date.parse(activity.at);
    // In the future of `now` (or no readable time): not counted.
    if (!(age >= 0)) continue;
    order.push(index);
    ages.push(age);
  }
  if (order.length <= INSERTION_SORT_MAX) {
    for (let i = 1; i < order.length; i += 1) {
      const index = order[i] as number;
      const age = ages[i] as number;
      const id = (activities[index] as ScoredActivity).activityId;
      let j = i - 1;
      while (j >= 0 && before(age, id, ages[j] as number, idAt(activities, order, j))) {
        order[j + 1] = order[j] as number;
        ages[j + 1] = ages[j] as number;
        j -= 1;
      }
      order[j + 1] = index;
      ages[j + 1] = age;
    }
  } else {
    const positions = order.map((_, position) => position);
    const ordered = order;
    positions.sort((a, b) => {
      const idA = idAt(activities, ordered, a);
      const idB = idAt(activities, ordered, b);
      return before(ages[a] as number, idA, ages[b] as number, idB) ? -1 : before(ages[b] as number, idB, ages[a] as number, idA) ? 1 : 0;
    });
    order = positions.map((position) => order[position] as number);
    ages = positions.map((position) => ages[position] as number);
  }
  const factors: number[] = [];
  for (const age of ages) factors.push(compiled.anyDecays ? 0.5 ** (age / compiled.halfLifeMs) : 1);
  return { order, ages, factors };
}

function engagementReason(rule: CompiledEngagementRule, activities: readonly ScoredActivity[], { order, ages, factors }: Counted): ScoreReason | undefined {
  let count = 0;
  let decayed = 0;
  let ids: string[] | undefined;
  for (let position = 0; position < order.length; position += 1) {
    const activity = activities[order[position] as number] as ScoredActivity;
    if (activity.kind !== rule.activity || (ages[position] as number) > rule.withinMs || !urlMatches(rule.urlParts, activity.url)) continue;
    count += 1;
    if (ids === undefined) ids = [activity.activityId];
    else if (ids.length < MAX_REASON_ACTIVITY_IDS) ids.push(activity.activityId);
    if (!rule.once) decayed += rule.points * (factors[position] as number);
    // 'once' decays with the activity that completes the most recent run of minCount: the freshest evidence for the rule.
    else if (count === rule.minCount) decayed = rule.points * (factors[position] as number);
  }
  if (ids === undefined || count < rule.minCount) return undefined;
  const raw = rule.once ? rule.points : rule.points * count;
  let points = rule.decays ? decayed : raw;
  if (rule.maxPoints !== undefined) points = points >= 0 ? Math.min(points, rule.maxPoints) : Math.max(points, -rule.maxPoints);
  points = round2(points);
  if (points === 0) return undefined;
  const uncapped = round2(raw);
  return uncapped === points
    ? { rule: rule.id, points, kind: 'engagement', activityIds: ids, activityCount: count }
    : { rule: rule.id, points, kind: 'engagement', activityIds: ids, activityCount: count, uncapped };
}

export function gradeFor(score: number, ruleSet: ScoringRuleSet): Grade {
  if (score >= ruleSet.grades.A) return 'A';
  if (score >= ruleSet.grades.B) return 'B';
  if (score >= ruleSet.grades.C) return 'C';
  return 'D';
}

/**
 * Scores a lead with a validated rule set at `now`:
 * - each fit rule whose conditions all hold gives its points once;
 * - each engagement rule gives its points for the lead's activities of its kind (and page) that are not in
 *   the future of `now` and, with `withinDays`, not older than that: per activity ('each') or once
 *   ('once'), only when there are at least `minCount`; decayed by each activity's age with the rule set's
 *   half-life unless the rule says `decays: false`; capped at `maxPoints`;
 * - the total is clamped to minScore and maxScore.
 * Points are rounded to 2 decimals. Pure: the same lead, rule set, activities (in any order) and `now`
 * always give the same result.
 */
export function scoreLead(lead: EnrichedLead, ruleSet: ScoringRuleSet, activities: readonly ScoredActivity[], now: Date): LeadScore {
  const compiled = compileRuleSet(ruleSet);
  const reasons: ScoreReason[] = [];
  let total = 0;

  const values: FieldValue[] = compiled.fields.map((field) => comparableOf(lead, field));
  for (const rule of compiled.fit) {
    if (rule.points === 0) continue;
    let fires = true;
    for (const condition of rule.conditions) {
      if (!holds(condition, values[condition.slot])) {
        fires = false;
        break;
      }
    }
    if (!fires) continue;
    const points = round2(rule.points);
    if (points === 0) continue;
    const fields: Record<string, string | number | boolean | null> = {};
    for (const { name, slot } of rule.fields) fields[name] = values[slot] === undefined ? null : (fieldOf(lead, name) as string | number | boolean);
    reasons.push({ rule: rule.id, points, kind: 'fit', fields });
    total += points;
  }

  if (activities.length > 0 && compiled.engagement.length > 0) {
    const found = counted(activities, compiled, now.getTime());
    if (found.order.length > 0) {
      for (const rule of compiled.engagement) {
        if (rule.points === 0) continue;
        const reason = engagementReason(rule, activities, found);
        if (reason === undefined) continue;
        reasons.push(reason);
        total += reason.points;
      }
    }
  }

  const sum = round2(total);
  const score = round2(Math.min(compiled.maxScore, Math.max(compiled.minScore, sum)));
  const grade = gradeFor(score, ruleSet);
  return score === sum ? { score, grade, reasons } : { score, grade, reasons, uncapped: sum };
}

/**
 * The stage a lead reaches with `score`, only when it crosses a threshold it had not crossed before:
 * SQL at or above sqlThreshold unless already SQL, MQL at or above mqlThreshold when not yet qualified.
 * Never downgrades: a falling score yields undefined, and so does a rescore that stays above.
 */
export function qualify(score: number, ruleSet: ScoringRuleSet, previousStage?: QualificationStage): QualificationStage | undefined {
  if (previousStage === 'SQL') return undefined;
  if (score >= ruleSet.sqlThreshold) return 'SQL';
  if (previousStage === undefined && score >= ruleSet.mqlThreshold) return 'MQL';
  return undefined;
}

/** A person qualified the lead (budget, authority, need, timeline): SQL, whatever its score, unless it already is. */
export function qualifyByPerson(previousStage?: QualificationStage): 'SQL' | undefined {
  return previousStage === 'SQL' ? undefined : 'SQL';
}
