import type { ScoringRuleSet } from './rule-set';
import { anEnrichedLead } from '@leadstream/testing';
import { DEMO_RULE_SET } from './demo-rule-set';
import { gradeFor, qualify, scoreLead } from './score-lead';
import { validateRuleSet } from './validate-rule-set';

function ruleSet(rules: ScoringRuleSet['rules']): ScoringRuleSet {
  return { version: 't-1', rules, grades: { A: 70, B: 50, C: 30 }, mqlThreshold: 50, sqlThreshold: 90 };
}

describe('scoreLead with the demo rule set', () => {
  it('is itself a valid rule set', () => {
    expect(validateRuleSet(JSON.parse(JSON.stringify(DEMO_RULE_SET)))).toEqual(DEMO_RULE_SET);
  });

  it('grades a senior corporate lead in a target country from a referral as A, explaining every point', () => {
    const lead = anEnrichedLead().withTitle('VP of Sales').withCountry('US').withPhone('+14155550132').withSource('referral').build();
    expect(scoreLead(lead, DEMO_RULE_SET)).toEqual({
      score: 85,
      grade: 'A',
      reasons: [
        { rule: 'senior-title', points: 25 },
        { rule: 'corporate-email', points: 20 },
        { rule: 'phone-present', points: 10 },
        { rule: 'target-country', points: 15 },
        { rule: 'high-intent-source', points: 15 },
      ],
    });
  });

  it('grades a student with a free mailbox outside the territories as D', () => {
    const lead = anEnrichedLead().withFreeEmail().withTitle('Student').withCountry('KE').withSource('website').without('phone').build();
    expect(scoreLead(lead, DEMO_RULE_SET)).toEqual({ score: -10, grade: 'D', reasons: [{ rule: 'free-email', points: -10 }] });
  });

  it('given a lead without email, then neither email rule applies (a missing field, not a free or corporate mailbox) and the rest scores as usual', () => {
    const lead = { phone: '+442071838750', country: 'GB', title: 'Head of Operations', source: 'referral' };
    expect(scoreLead(lead, DEMO_RULE_SET)).toEqual({
      score: 65,
      grade: 'B',
      reasons: [
        { rule: 'senior-title', points: 25 },
        { rule: 'phone-present', points: 10 },
        { rule: 'target-country', points: 15 },
        { rule: 'high-intent-source', points: 15 },
      ],
    });
  });

  it('adds points for engagement, capped per kind', () => {
    const lead = anEnrichedLead().withTitle('Analyst').withCountry('KE').withSource('website').build();
    const opens = Array.from({ length: 9 }, () => ({ kind: 'email_opened' as const }));
    const result = scoreLead(lead, DEMO_RULE_SET, [...opens, { kind: 'meeting_booked' }]);
    expect(result.reasons).toEqual([
      { rule: 'corporate-email', points: 20 },
      { rule: 'email-opened', points: 10 },
      { rule: 'meeting-booked', points: 30 },
    ]);
    expect(result.score).toBe(60);
  });
});

describe('conditions', () => {
  const lead = anEnrichedLead().withTitle('  Head of Marketing ').withCountry('DE').withSource('Webinar').without('phone', 'campaign').build();

  it.each([
    ['equals ignores case and spacing', { field: 'source', op: 'equals', value: 'WEBINAR ' }, true],
    ['equals on a boolean', { field: 'isFreeEmail', op: 'equals', value: true }, false],
    ['in a list', { field: 'country', op: 'in', value: ['fr', 'de'] }, true],
    ['not in a list', { field: 'country', op: 'in', value: ['FR'] }, false],
    ['contains any', { field: 'title', op: 'contains', value: ['director', 'head of'] }, true],
    ['contains none', { field: 'title', op: 'contains', value: ['chief'] }, false],
    ['present', { field: 'title', op: 'present' }, true],
    ['present, but missing', { field: 'phone', op: 'present' }, false],
    ['absent', { field: 'campaign', op: 'absent' }, true],
    ['absent, but there', { field: 'title', op: 'absent' }, false],
  ] as const)('%s', (_name, when, fires) => {
    const result = scoreLead(lead, ruleSet([{ id: 'r', when, points: 7 }]));
    expect(result.score).toBe(fires ? 7 : 0);
  });

  it.each([
    ['email equals', { field: 'email', op: 'equals', value: 'ada@example.com' }, false],
    ['emailDomain in', { field: 'emailDomain', op: 'in', value: ['example.com'] }, false],
    ['emailDomain contains', { field: 'emailDomain', op: 'contains', value: ['example'] }, false],
    ['isFreeEmail equals false', { field: 'isFreeEmail', op: 'equals', value: false }, false],
    ['isDisposableEmail equals false', { field: 'isDisposableEmail', op: 'equals', value: false }, false],
    ['email present', { field: 'email', op: 'present' }, false],
    ['email absent', { field: 'email', op: 'absent' }, true],
  ] as const)('given a lead without email, %s', (_name, when, fires) => {
    const withoutEmail = { phone: '+442071838750', firstName: 'Ada', company: 'Analytical Engines' };
    expect(scoreLead(withoutEmail, ruleSet([{ id: 'r', when, points: 7 }])).score).toBe(fires ? 7 : 0);
  });

  it('a list of conditions fires only when all hold', () => {
    const both = ruleSet([{ id: 'r', when: [{ field: 'country', op: 'equals', value: 'DE' }, { field: 'phone', op: 'present' }], points: 5 }]);
    expect(scoreLead(lead, both).score).toBe(0);
    expect(scoreLead({ ...lead, phone: '+4930123456' }, both).score).toBe(5);
  });
});

describe('gradeFor', () => {
  it.each([
    [70, 'A'],
    [69, 'B'],
    [50, 'B'],
    [30, 'C'],
    [29, 'D'],
    [-5, 'D'],
  ] as const)('%d -> %s', (score, grade) => {
    expect(gradeFor(score, DEMO_RULE_SET)).toBe(grade);
  });
});

describe('qualify', () => {
  it.each([
    ['below MQL', 49, undefined, undefined],
    ['crossing MQL', 50, undefined, 'MQL'],
    ['already MQL, still below SQL', 70, 'MQL', undefined],
    ['crossing SQL from MQL', 90, 'MQL', 'SQL'],
    ['straight to SQL', 95, undefined, 'SQL'],
    ['already SQL', 99, 'SQL', undefined],
    ['SQL whose score fell never goes back to MQL', 10, 'SQL', undefined],
    ['MQL whose score fell stays MQL', 10, 'MQL', undefined],
  ] as const)('%s', (_name, score, previous, expected) => {
    expect(qualify(score, DEMO_RULE_SET, previous)).toBe(expected);
  });
});
