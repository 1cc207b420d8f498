import type { ActivityKind, EnrichedLead } from '@leadstream/contracts';
import { fieldType, type Condition, type ScorableField, type ScoringRuleSet } from './rule-set';

/** Condition operators reduced to what the scorer evaluates: a range stands for atLeast, atMost and between. */
export type Test = 'equals' | 'in' | 'contains' | 'present' | 'absent' | 'range';

/** One field of the lead as conditions compare it: text trimmed and lower-cased, blank or missing as undefined. */
export type FieldValue = string | number | boolean | undefined;

/** All compiled conditions share one shape, so the scorer's loop over them stays monomorphic. */
export interface CompiledCondition {
  /** Index into the lead's field values (CompiledRuleSet.fields). */
  readonly slot: number;
  readonly test: Test;
  readonly equals: FieldValue;
  readonly set: ReadonlySet<string | number>;
  readonly parts: readonly string[];
  readonly min: number;
  readonly max: number;
}

export interface CompiledFitRule {
  readonly id: string;
  readonly points: number;
  readonly conditions: readonly CompiledCondition[];
  /** The distinct fields the rule tests, by name and slot, for its reason. */
  readonly fields: readonly { readonly name: ScorableField; readonly slot: number }[];
}

export interface CompiledEngagementRule {
  readonly id: string;
  readonly activity: ActivityKind;
  /** Lower-cased; undefined when any url (or none) counts. */
  readonly urlParts: readonly string[] | undefined;
  readonly points: number;
  readonly once: boolean;
  readonly minCount: number;
  readonly maxPoints: number | undefined;
  /** The rule set has a decay and the rule does not opt out of it. */
  readonly decays: boolean;
  /** Only activities at most this old (ms) count; Infinity when the rule has no window. */
  readonly withinMs: number;
}

export interface CompiledRuleSet {
  readonly fields: readonly ScorableField[];
  readonly fit: readonly CompiledFitRule[];
  readonly engagement: readonly CompiledEngagementRule[];
  /** The activity kinds some engagement rule counts; others are skipped before any work. */
  readonly activityKinds: ReadonlySet<ActivityKind>;
  /** 0 when engagement does not decay. */
  readonly halfLifeMs: number;
  readonly anyDecays: boolean;
  readonly minScore: number;
  readonly maxScore: number;
}

const DAY_MS = 86_400_000;

function normalised(value: string | number | boolean): string | number | boolean {
  return typeof value === 'string' ? value.trim().toLowerCase() : value;
}

const NOTHING: ReadonlySet<string | number> = new Set();

function compileCondition(condition: Condition, slot: number): CompiledCondition {
  const base = { slot, equals: undefined, set: NOTHING, parts: [], min: -Infinity, max: Infinity };
  switch (condition.op) {
    case 'equals':
      return { ...base, test: 'equals', equals: normalised(condition.value) };
    case 'in':
      return { ...base, test: 'in', set: new Set(condition.value.map((item) => normalised(item) as string | number)) };
    case 'contains':
      return { ...base, test: 'contains', parts: (typeof condition.value === 'string' ? [condition.value] : condition.value).map((part) => part.trim().toLowerCase()) };
    case 'present':
      return { ...base, test: 'present' };
    case 'absent':
      return { ...base, test: 'absent' };
    case 'atLeast':
      return { ...base, test: 'range', min: condition.value };
    case 'atMost':
      return { ...base, test: 'range', max: condition.value };
    case 'between':
      return { ...base, test: 'range', min: condition.value[0], max: condition.value[1] };
    default: {
      const unhandled: never = condition;
      throw new Error(`unhandled condition ${JSON.stringify(unhandled)}`);
    }
  }
}

function compile(ruleSet: ScoringRuleSet): CompiledRuleSet {
  const fields: ScorableField[] = [];
  const slotOf = (field: ScorableField): number => {
    const known = fields.indexOf(field);
    if (known >= 0) return known;
    fields.push(field);
    return fields.length - 1;
  };
  const fit = ruleSet.fit.map((rule): CompiledFitRule => {
    const conditions = (Array.isArray(rule.when) ? rule.when : [rule.when as Condition]).map((condition) => compileCondition(condition, slotOf(condition.field)));
    const tested = [...new Set((Array.isArray(rule.when) ? rule.when : [rule.when as Condition]).map((condition) => condition.field))];
    return { id: rule.id, points: rule.points, conditions, fields: tested.map((name) => ({ name, slot: slotOf(name) })) };
  });
  const halfLifeMs = ruleSet.decay === undefined ? 0 : ruleSet.decay.halfLifeDays * DAY_MS;
  const engagement = ruleSet.engagement.map(
    (rule): CompiledEngagementRule => ({
      id: rule.id,
      activity: rule.activity,
      urlParts: rule.urlContains?.map((part) => part.trim().toLowerCase()),
      points: rule.points,
      once: rule.count === 'once',
      minCount: rule.minCount ?? 1,
      maxPoints: rule.maxPoints,
      decays: halfLifeMs > 0 && rule.decays !== false,
      withinMs: rule.withinDays === undefined ? Infinity : rule.withinDays * DAY_MS,
    }),
  );
  return {
    fields,
    fit,
    engagement,
    activityKinds: new Set(engagement.map((rule) => rule.activity)),
    halfLifeMs,
    anyDecays: engagement.some((rule) => rule.decays),
    minScore: ruleSet.minScore ?? -Infinity,
    maxScore: ruleSet.maxScore ?? Infinity,
  };
}

// Rule sets are immutable values: compile each once, however many leads it scores.
const compiled = new WeakMap<ScoringRuleSet, CompiledRuleSet>();

/** The rule set in the form the scorer runs: values lower-cased, lists as sets, days as milliseconds. Memoised per rule-set object. */
export function compileRuleSet(ruleSet: ScoringRuleSet): CompiledRuleSet {
  let result = compiled.get(ruleSet);
  if (result === undefined) {
    result = compile(ruleSet);
    compiled.set(ruleSet, result);
  }
  return result;
}

type FieldReader = (lead: EnrichedLead) => unknown;

// One reader per field, each with its own property access: cheaper than `lead[field]` with a varying key.
const READERS: Readonly<Record<ScorableField, FieldReader>> = {
  email: (lead) => lead.email,
  emailDomain: (lead) => lead.emailDomain,
  isFreeEmail: (lead) => lead.isFreeEmail,
  companyDomain: (lead) => lead.companyDomain,
  companyKey: (lead) => lead.companyKey,
  firstName: (lead) => lead.firstName,
  lastName: (lead) => lead.lastName,
  company: (lead) => lead.company,
  title: (lead) => lead.title,
  phone: (lead) => lead.phone,
  country: (lead) => lead.country,
  source: (lead) => lead.source,
  campaign: (lead) => lead.campaign,
  seniority: (lead) => lead.seniority,
  department: (lead) => lead.department,
  territory: (lead) => lead.territory,
  isDisposableEmail: (lead) => lead.isDisposableEmail,
  industry: (lead) => lead.firmographics?.industry,
  employeeCount: (lead) => lead.firmographics?.employeeCount,
  annualRevenue: (lead) => lead.firmographics?.annualRevenue,
};

/** The lead's value of a field as the rule set's author sees it (before trimming and lower-casing), for reasons. */
export function fieldOf(lead: EnrichedLead, field: ScorableField): unknown {
  return READERS[field](lead);
}

/** The lead's value of a field as conditions compare it. A blank text, a non-finite number or a value of the wrong type is absent. */
export function comparableOf(lead: EnrichedLead, field: ScorableField): FieldValue {
  const value = READERS[field](lead);
  switch (fieldType(field)) {
    case 'text': {
      if (typeof value !== 'string') return undefined;
      const trimmed = value.trim();
      return trimmed.length === 0 ? undefined : trimmed.toLowerCase();
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }
}
