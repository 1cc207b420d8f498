import { anEnrichedLead } from '@leadstream/testing';
import { DEMO_RULE_SET } from './demo-rule-set';
import { scoreLead } from './score-lead';
import { InvalidRuleSetError, validateRuleSet } from './validate-rule-set';

// These tests break raw, JSON-shaped configuration on purpose; typing it precisely would defeat that.
/* eslint-disable @typescript-eslint/no-explicit-any */
type RawRuleSet = any;

function withChange(change: (raw: RawRuleSet) => void, base: unknown = DEMO_RULE_SET): unknown {
  const raw = JSON.parse(JSON.stringify(base));
  change(raw);
  return raw;
}

/** Where a demo rule sits, so the expected paths follow the demo set if it is reordered. */
const fitIndex = (id: string): number => DEMO_RULE_SET.fit.findIndex((rule) => rule.id === id);
const engagementIndex = (id: string): number => DEMO_RULE_SET.engagement.findIndex((rule) => rule.id === id);
const SMALL = fitIndex('employees-small');
const FREE = fitIndex('free-email');
const SENIOR = fitIndex('seniority-executive');
const TITLE = fitIndex('title-revenue-role');
const OPENED = engagementIndex('email-opened');
const TWICE = engagementIndex('email-opened-twice');
const PRICING = engagementIndex('pricing-page-visited');
const UNSUBSCRIBED = engagementIndex('unsubscribed');

function rejection(raw: unknown): InvalidRuleSetError {
  try {
    validateRuleSet(raw);
  } catch (error) {
    if (error instanceof InvalidRuleSetError) return error;
    throw error;
  }
  throw new Error('the rule set was accepted');
}

/** What the scoring service's rule-set files looked like before fit and engagement rules (the former demo set). */
const LEGACY_RULE_SET = {
  version: 'demo-1',
  rules: [
    {
      id: 'senior-title',
      description: 'Decision makers: VPs, directors, heads of, C-level, founders',
      when: { field: 'title', op: 'contains', value: ['vp', 'vice president', 'director', 'chief', 'head of', 'ceo', 'cto', 'cfo', 'cmo', 'founder'] },
      points: 25,
    },
    { id: 'corporate-email', description: 'Email at a company domain', when: { field: 'isFreeEmail', op: 'equals', value: false }, points: 20 },
    { id: 'free-email', description: 'Personal mailbox at a free provider', when: { field: 'isFreeEmail', op: 'equals', value: true }, points: -10 },
    { id: 'phone-present', description: 'Reachable by phone', when: { field: 'phone', op: 'present' }, points: 10 },
    { id: 'target-country', description: 'In a sales territory', when: { field: 'country', op: 'in', value: ['US', 'CA', 'GB', 'IE', 'DE', 'FR', 'NL', 'AU'] }, points: 15 },
    { id: 'high-intent-source', description: 'Came by referral or webinar', when: { field: 'source', op: 'in', value: ['referral', 'webinar'] }, points: 15 },
    { id: 'email-opened', activity: 'email_opened', points: 2, maxPoints: 10 },
    { id: 'email-clicked', activity: 'email_clicked', points: 5, maxPoints: 15 },
    { id: 'content-downloaded', activity: 'content_downloaded', points: 5, maxPoints: 15 },
    { id: 'webinar-attended', activity: 'webinar_attended', points: 10, maxPoints: 20 },
    { id: 'meeting-booked', activity: 'meeting_booked', points: 30, maxPoints: 30 },
  ],
  grades: { A: 70, B: 50, C: 30 },
  mqlThreshold: 50,
  sqlThreshold: 90,
};

describe('validateRuleSet', () => {
  it.each([
    ['a typo in a top-level key', (r: RawRuleSet) => (r.mqlTreshold = 50), 'mqlTreshold', /not a known setting \(expected one of .*mqlThreshold/],
    ['no version', (r: RawRuleSet) => delete r.version, 'version', /must be a non-empty string, got nothing/],
    ['a version too long', (r: RawRuleSet) => (r.version = 'v'.repeat(101)), 'version', /at most 100 characters, got 101/],
    ['fit not a list', (r: RawRuleSet) => (r.fit = { id: 'x' }), 'fit', /must be a list of rules, got \{"id":"x"\}/],
    ['no engagement list', (r: RawRuleSet) => delete r.engagement, 'engagement', /must be a list of rules, got nothing/],
    ['a rule id with spaces and capitals', (r: RawRuleSet) => (r.fit[0].id = 'Senior Title'), 'fit[0].id', /1-64 of a-z, 0-9, '-', '_', got "Senior Title"/],
    ['a rule id used twice', (r: RawRuleSet) => (r.engagement[0].id = r.fit[0].id), 'engagement[0].id', /must be unique, got "seniority-executive", the id of fit\[0\]/],
    ['points as text', (r: RawRuleSet) => (r.fit[SENIOR].points = '20'), `fit[${SENIOR}].points`, /must be a number, got "20"/],
    ['a typo in a rule key', (r: RawRuleSet) => (r.fit[SENIOR].point = 20), `fit[${SENIOR}].point`, /not a known setting/],
    ['an empty list of conditions', (r: RawRuleSet) => (r.fit[SENIOR].when = []), `fit[${SENIOR}].when`, /at least one condition, got \[\]/],
    ['an unknown field', (r: RawRuleSet) => (r.fit[SENIOR].when.field = 'jobTitle'), `fit[${SENIOR}].when.field`, /must be one of .*title.*employeeCount.*, got "jobTitle"/],
    ['an unknown operator', (r: RawRuleSet) => (r.fit[SENIOR].when.op = 'startsWith'), `fit[${SENIOR}].when.op`, /equals, in, contains, present, absent, atLeast, atMost, between, got "startsWith"/],
    ['an operator that does not fit the field', (r: RawRuleSet) => (r.fit[SMALL].when.op = 'contains'), `fit[${SMALL}].when.op`, /for the number field employeeCount, got "contains"/],
    ['a range on a text field', (r: RawRuleSet) => (r.fit[TITLE].when = { field: 'title', op: 'atLeast', value: 3 }), `fit[${TITLE}].when.op`, /for the text field title, got "atLeast"/],
    ['between with one bound', (r: RawRuleSet) => (r.fit[SMALL].when.value = [50]), `fit[${SMALL}].when.value`, /must be \[min, max\], two numbers, got \[50\]/],
    ['between upside down', (r: RawRuleSet) => (r.fit[SMALL].when.value = [199, 50]), `fit[${SMALL}].when.value`, /min at most max, got \[199,50\]/],
    ['between with a text bound', (r: RawRuleSet) => (r.fit[SMALL].when.value = [50, '199']), `fit[${SMALL}].when.value[1]`, /must be a number, got "199"/],
    ['a boolean given as text', (r: RawRuleSet) => (r.fit[FREE].when.value = 'true'), `fit[${FREE}].when.value`, /must be true or false for isFreeEmail, got "true"/],
    ['a seniority enrichment never gives', (r: RawRuleSet) => (r.fit[SENIOR].when.value[1] = 'c-suite'), `fit[${SENIOR}].when.value[1]`, /must be a seniority enrichment gives \(c-level, vp, .*\), got "c-suite"/],
    ['an empty contains list', (r: RawRuleSet) => (r.fit[TITLE].when.value = []), `fit[${TITLE}].when.value`, /non-empty list of strings, got \[\]/],
    ['a value on present', (r: RawRuleSet) => (r.fit[TITLE].when = { field: 'title', op: 'present', value: 'x' }), `fit[${TITLE}].when.value`, /must be left out for 'present', got "x"/],
    ['an unknown activity', (r: RawRuleSet) => (r.engagement[OPENED].activity = 'tweeted'), `engagement[${OPENED}].activity`, /must be one of email_opened, .*unsubscribed, got "tweeted"/],
    ['minCount 0', (r: RawRuleSet) => (r.engagement[TWICE].minCount = 0), `engagement[${TWICE}].minCount`, /whole number of at least 1, got 0/],
    ['a fractional minCount', (r: RawRuleSet) => (r.engagement[TWICE].minCount = 1.5), `engagement[${TWICE}].minCount`, /whole number of at least 1, got 1.5/],
    ['an unknown count', (r: RawRuleSet) => (r.engagement[TWICE].count = 'twice'), `engagement[${TWICE}].count`, /must be 'each' or 'once', got "twice"/],
    ['a cap of 0', (r: RawRuleSet) => (r.engagement[OPENED].maxPoints = 0), `engagement[${OPENED}].maxPoints`, /must be a number above 0, got 0/],
    ['a typo in an engagement key', (r: RawRuleSet) => (r.engagement[OPENED].maxPoint = 5), `engagement[${OPENED}].maxPoint`, /not a known setting \(expected one of .*maxPoints/],
    ['decays as text', (r: RawRuleSet) => (r.engagement[UNSUBSCRIBED].decays = 'no'), `engagement[${UNSUBSCRIBED}].decays`, /must be true or false, got "no"/],
    ['a negative window', (r: RawRuleSet) => (r.engagement[PRICING].withinDays = -1), `engagement[${PRICING}].withinDays`, /must be a number above 0, got -1/],
    ['an empty url list', (r: RawRuleSet) => (r.engagement[PRICING].urlContains = []), `engagement[${PRICING}].urlContains`, /non-empty list of strings, got \[\]/],
    ['a blank url part', (r: RawRuleSet) => (r.engagement[PRICING].urlContains = ['/pricing', ' ']), `engagement[${PRICING}].urlContains[1]`, /non-empty string, got " "/],
    ['a half-life of 0', (r: RawRuleSet) => (r.decay.halfLifeDays = 0), 'decay.halfLifeDays', /must be a number above 0, got 0/],
    ['a typo in decay', (r: RawRuleSet) => (r.decay = { halfLife: 30 }), 'decay.halfLife', /not a known setting \(expected one of halfLifeDays\)/],
    ['grades out of order', (r: RawRuleSet) => (r.grades.B = 80), 'grades.B', /must be below grades.A \(70\), got 80/],
    ['a missing grade', (r: RawRuleSet) => delete r.grades.C, 'grades.C', /must be a number, got nothing/],
    ['MQL above SQL', (r: RawRuleSet) => (r.mqlThreshold = 95), 'mqlThreshold', /must be below sqlThreshold \(85\), got 95/],
    ['minScore above maxScore', (r: RawRuleSet) => (r.minScore = 100), 'minScore', /must be below maxScore \(100\), got 100/],
    ['grade A out of reach', (r: RawRuleSet) => (r.maxScore = 60), 'grades.A', /at most maxScore \(60\) or no lead could reach it, got 70/],
    ['SQL out of reach', (r: RawRuleSet) => (r.maxScore = 80), 'sqlThreshold', /at most maxScore \(80\) .* got 85/],
    ['the legacy rule list beside fit rules', (r: RawRuleSet) => (r.rules = []), 'rules', /older format's rule list and cannot be combined with 'fit'/],
  ])('rejects %s, naming %s and saying what was expected and given', (_name, change, path, message) => {
    const error = rejection(withChange(change));
    expect(error).toMatchObject({ code: 'SCORING.INVALID_RULE_SET', kind: 'permanent', path });
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`${path} `)).toBe(true);
  });

  it.each([null, [], 'version: 1'])('rejects %p: the rule set must be an object', (raw) => {
    expect(rejection(raw)).toMatchObject({ path: '', message: expect.stringMatching(/^the rule set must be an object, got /) });
  });

  it('accepts a rule set without decay, caps or description, and a condition given alone or in a list', () => {
    const raw = withChange((r) => {
      delete r.decay;
      delete r.maxScore;
      delete r.minScore;
      delete r.description;
      r.fit[0].when = [r.fit[0].when, { field: 'phone', op: 'absent' }];
    });
    const ruleSet = validateRuleSet(raw);
    expect(ruleSet).toEqual(raw);
    expect(ruleSet.fit[0]?.when).toEqual([{ field: 'seniority', op: 'in', value: ['c-level', 'vp'] }, { field: 'phone', op: 'absent' }]);
  });

  it('accepts a number list for a numeric field and one text for contains', () => {
    const raw = withChange((r) => {
      r.fit[SMALL].when = { field: 'employeeCount', op: 'in', value: [10, 20] };
      r.fit[TITLE].when = { field: 'title', op: 'contains', value: 'revenue' };
    });
    expect(validateRuleSet(raw)).toEqual(raw);
  });
});

describe('validateRuleSet: the older `rules` format', () => {
  it('given the former demo file, then it validates, converted: lead rules to fit, activity rules to engagement counted each, with their caps', () => {
    const converted = validateRuleSet(LEGACY_RULE_SET);
    expect(converted.version).toBe('demo-1');
    expect(converted.fit.map((rule) => rule.id)).toEqual(['senior-title', 'corporate-email', 'free-email', 'phone-present', 'target-country', 'high-intent-source']);
    expect(converted.fit[1]).toEqual(LEGACY_RULE_SET.rules[1]);
    expect(converted.engagement).toEqual([
      { id: 'email-opened', activity: 'email_opened', points: 2, count: 'each', maxPoints: 10 },
      { id: 'email-clicked', activity: 'email_clicked', points: 5, count: 'each', maxPoints: 15 },
      { id: 'content-downloaded', activity: 'content_downloaded', points: 5, count: 'each', maxPoints: 15 },
      { id: 'webinar-attended', activity: 'webinar_attended', points: 10, count: 'each', maxPoints: 20 },
      { id: 'meeting-booked', activity: 'meeting_booked', points: 30, count: 'each', maxPoints: 30 },
    ]);
    expect(converted).not.toHaveProperty('decay');
    // What it converts to is itself a valid rule set of the current format (a service may store it so).
    expect(validateRuleSet(JSON.parse(JSON.stringify(converted)))).toEqual(converted);
  });

  it('given the converted file, then it scores as it always did: no decay, every activity counted up to the cap', () => {
    const converted = validateRuleSet(LEGACY_RULE_SET);
    const lead = anEnrichedLead().withTitle('VP of Sales').withCountry('US').withPhone('+14155550132').withSource('referral').build();
    const opens = Array.from({ length: 9 }, (_, n) => ({ activityId: `open-${n}`, kind: 'email_opened' as const, at: '2020-01-01T00:00:00.000Z' }));
    const result = scoreLead(lead, converted, opens, new Date('2025-06-01T00:00:00.000Z'));
    expect(result.reasons.map((reason) => [reason.rule, reason.points])).toEqual([
      ['senior-title', 25],
      ['corporate-email', 20],
      ['phone-present', 10],
      ['target-country', 15],
      ['high-intent-source', 15],
      ['email-opened', 10],
    ]);
    expect(result).toMatchObject({ score: 95, grade: 'A' });
  });

  it('given a legacy cap of 0 (a rule that could give nothing), then it converts to a rule of 0 points', () => {
    const raw = withChange((r) => (r.rules[6].maxPoints = 0), LEGACY_RULE_SET);
    expect(validateRuleSet(raw).engagement[0]).toEqual({ id: 'email-opened', activity: 'email_opened', points: 0, count: 'each' });
  });

  it.each([
    ['an unknown activity', (r: RawRuleSet) => (r.rules[6].activity = 'tweeted'), 'rules[6].activity', /got "tweeted"/],
    ['a negative cap', (r: RawRuleSet) => (r.rules[6].maxPoints = -1), 'rules[6].maxPoints', /zero or more, got -1/],
    ['an unknown operator', (r: RawRuleSet) => (r.rules[0].when.op = 'startsWith'), 'rules[0].when.op', /got "startsWith"/],
    ['a new-format option on a legacy rule', (r: RawRuleSet) => (r.rules[7].count = 'once'), 'rules[7].count', /not a known setting/],
    ['a duplicate id across lead and activity rules', (r: RawRuleSet) => (r.rules[8].id = 'phone-present'), 'rules[8].id', /must be unique, got "phone-present", the id of rules\[3\]/],
    ['rules not a list', (r: RawRuleSet) => (r.rules = {}), 'rules', /must be a list of rules/],
  ])('given a legacy file with %s, then the error names the entry as written: %s', (_name, change, path, message) => {
    const error = rejection(withChange(change, LEGACY_RULE_SET));
    expect(error).toMatchObject({ code: 'SCORING.INVALID_RULE_SET', path });
    expect(error.message).toMatch(message);
  });
});
