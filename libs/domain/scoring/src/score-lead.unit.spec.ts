import type { ActivityKind, EnrichedLead } from '@leadstream/contracts';
import { anEnrichedLead, testUuid } from '@leadstream/testing';
import { DEMO_RULE_SET } from './demo-rule-set';
import type { Condition, EngagementRule, FitRule, ScoringRuleSet } from './rule-set';
import { gradeFor, scoreLead, type ScoredActivity } from './score-lead';
import { validateRuleSet } from './validate-rule-set';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const DAY_MS = 86_400_000;

/** A valid rule set around the given rules (passed through validateRuleSet, as every stored rule set is). */
function ruleSet(change: Partial<ScoringRuleSet>): ScoringRuleSet {
  return validateRuleSet({ version: 't-1', fit: [], engagement: [], grades: { A: 70, B: 50, C: 30 }, mqlThreshold: 50, sqlThreshold: 90, ...change });
}

function fitRule(when: Condition | Condition[], points = 7): FitRule {
  return { id: 'r', when, points };
}

function engagementRule(rule: Partial<EngagementRule>): EngagementRule {
  return { id: 'e', activity: 'email_opened', points: 2, ...rule };
}

/** Activity number `n` (its id is testUuid(n, 0xa)), `days` before NOW. */
function activity(n: number, kind: ActivityKind, days: number, url?: string): ScoredActivity {
  return { activityId: id(n), kind, at: new Date(NOW.getTime() - days * DAY_MS).toISOString(), ...(url === undefined ? {} : { url }) };
}

function id(n: number): string {
  return testUuid(n, 0xa);
}

function opens(days: readonly number[], first = 1): ScoredActivity[] {
  return days.map((age, index) => activity(first + index, 'email_opened', age));
}

/** A VP at a 250-person software company in the US, with a corporate email and no phone. */
const vp: EnrichedLead = {
  ...anEnrichedLead().withTitle('VP of Sales Operations').withCountry('US').withSource('website').build(),
  seniority: 'vp',
  department: 'sales',
  firmographics: { domain: 'acme-corp.com', industry: 'Software', employeeCount: 250, annualRevenue: 40_000_000 },
};

describe('scoreLead: fit rules', () => {
  it.each([
    ['equals, text, ignoring case', { field: 'country', op: 'equals', value: 'us' }, true],
    ['equals, another text', { field: 'country', op: 'equals', value: 'DE' }, false],
    ['equals, a boolean', { field: 'isFreeEmail', op: 'equals', value: false }, true],
    ['equals, the other boolean', { field: 'isFreeEmail', op: 'equals', value: true }, false],
    ['equals, a number', { field: 'employeeCount', op: 'equals', value: 250 }, true],
    ['equals on a firmographic text', { field: 'industry', op: 'equals', value: 'SOFTWARE' }, true],
    ['in, text', { field: 'source', op: 'in', value: ['Website', 'referral'] }, true],
    ['in, text not listed', { field: 'source', op: 'in', value: ['referral', 'webinar'] }, false],
    ['in, numbers', { field: 'employeeCount', op: 'in', value: [100, 250] }, true],
    ['contains one text', { field: 'title', op: 'contains', value: 'sales' }, true],
    ['contains any of a list, ignoring case', { field: 'title', op: 'contains', value: ['marketing', 'OPERATIONS'] }, true],
    ['contains none of a list', { field: 'title', op: 'contains', value: ['finance', 'legal'] }, false],
    ['present, given', { field: 'title', op: 'present' }, true],
    ['present, missing', { field: 'phone', op: 'present' }, false],
    ['absent, missing', { field: 'phone', op: 'absent' }, true],
    ['absent, given', { field: 'seniority', op: 'absent' }, false],
    ['atLeast, the bound included', { field: 'employeeCount', op: 'atLeast', value: 250 }, true],
    ['atLeast, above', { field: 'employeeCount', op: 'atLeast', value: 251 }, false],
    ['atMost, the bound included', { field: 'annualRevenue', op: 'atMost', value: 40_000_000 }, true],
    ['atMost, below', { field: 'annualRevenue', op: 'atMost', value: 39_999_999 }, false],
    ['between, both bounds included', { field: 'employeeCount', op: 'between', value: [200, 250] }, true],
    ['between, outside', { field: 'employeeCount', op: 'between', value: [251, 1000] }, false],
  ] as const)('given a VP at a 250-person software company, when a rule tests %s, then it fires: %s', (_name, when, fires) => {
    const result = scoreLead(vp, ruleSet({ fit: [fitRule(when as Condition)] }), [], NOW);
    expect(result.score).toBe(fires ? 7 : 0);
    expect(result.reasons).toHaveLength(fires ? 1 : 0);
  });

  it.each([
    ['employeeCount atLeast 0', { field: 'employeeCount', op: 'atLeast', value: 0 }, false],
    ['employeeCount between', { field: 'employeeCount', op: 'between', value: [0, 1_000_000] }, false],
    ['industry contains', { field: 'industry', op: 'contains', value: 'a' }, false],
    ['employeeCount absent', { field: 'employeeCount', op: 'absent' }, true],
    ['industry absent', { field: 'industry', op: 'absent' }, true],
  ] as const)('given a lead no firmographics provider knew, when a rule tests %s, then it fires: %s', (_name, when, fires) => {
    const unknownCompany = anEnrichedLead().build();
    expect(scoreLead(unknownCompany, ruleSet({ fit: [fitRule(when as Condition)] }), [], NOW).score).toBe(fires ? 7 : 0);
  });

  it.each([
    ['isFreeEmail equals true', { field: 'isFreeEmail', op: 'equals', value: true }, false],
    ['isFreeEmail equals false', { field: 'isFreeEmail', op: 'equals', value: false }, false],
    ['emailDomain in', { field: 'emailDomain', op: 'in', value: ['acme-corp.com'] }, false],
    ['companyDomain contains', { field: 'companyDomain', op: 'contains', value: 'acme' }, false],
    ['email present', { field: 'email', op: 'present' }, false],
    ['email absent', { field: 'email', op: 'absent' }, true],
    ['isFreeEmail absent', { field: 'isFreeEmail', op: 'absent' }, true],
  ] as const)('given a lead without email, when a rule tests %s, then it fires: %s (a missing field, neither a free nor a corporate mailbox)', (_name, when, fires) => {
    const lead = anEnrichedLead().withoutEmail().withPhone('+442071838750').build();
    expect(scoreLead(lead, ruleSet({ fit: [fitRule(when as Condition)] }), [], NOW).score).toBe(fires ? 7 : 0);
  });

  it('given a blank title, then the title counts as absent', () => {
    const lead = anEnrichedLead().withTitle('   ').build();
    const rules = ruleSet({ fit: [{ id: 'no-title', when: { field: 'title', op: 'absent' }, points: 3 }, { id: 'any-title', when: { field: 'title', op: 'contains', value: 'a' }, points: 5 }] });
    expect(scoreLead(lead, rules, [], NOW).reasons).toEqual([{ rule: 'no-title', points: 3, kind: 'fit', fields: { title: null } }]);
  });

  it('given a rule with several conditions, then it fires only when all hold, once, naming every tested field and the lead value (null when absent)', () => {
    const rules = ruleSet({
      fit: [
        {
          id: 'us-mid-market-without-phone',
          when: [
            { field: 'country', op: 'equals', value: 'US' },
            { field: 'employeeCount', op: 'between', value: [200, 1999] },
            { field: 'phone', op: 'absent' },
            { field: 'country', op: 'present' },
          ],
          points: 12,
        },
      ],
    });
    expect(scoreLead(vp, rules, [], NOW)).toEqual({
      score: 12,
      grade: 'D',
      reasons: [{ rule: 'us-mid-market-without-phone', points: 12, kind: 'fit', fields: { country: 'US', employeeCount: 250, phone: null } }],
    });
    expect(scoreLead({ ...vp, phone: '+14155550132' }, rules, [], NOW).reasons).toEqual([]);
    expect(scoreLead({ ...vp, country: 'DE' }, rules, [], NOW).reasons).toEqual([]);
  });

  it('given negative fit rules, then they take points away and say so', () => {
    const rules = ruleSet({
      fit: [
        { id: 'free-email', when: { field: 'isFreeEmail', op: 'equals', value: true }, points: -15 },
        { id: 'competitor', when: { field: 'companyDomain', op: 'in', value: ['LeadRival.example'] }, points: -50 },
      ],
    });
    const competitor = anEnrichedLead().withEmail('spy@leadrival.example').build();
    expect(scoreLead(competitor, rules, [], NOW)).toEqual({
      score: -50,
      grade: 'D',
      reasons: [{ rule: 'competitor', points: -50, kind: 'fit', fields: { companyDomain: 'leadrival.example' } }],
    });
    expect(scoreLead(anEnrichedLead().withFreeEmail().build(), rules, [], NOW).reasons).toEqual([
      { rule: 'free-email', points: -15, kind: 'fit', fields: { isFreeEmail: true } },
    ]);
  });

  it('given a rule of 0 points, then it is left out of the reasons', () => {
    const rules = ruleSet({ fit: [{ id: 'noted', when: { field: 'country', op: 'present' }, points: 0 }] });
    expect(scoreLead(vp, rules, [], NOW)).toEqual({ score: 0, grade: 'D', reasons: [] });
  });
});

describe('scoreLead: engagement rules (no decay)', () => {
  const lead = anEnrichedLead().build();

  it("given three opens, when a rule counts 'each', then it gives its points per open and names them, most recent first", () => {
    const result = scoreLead(lead, ruleSet({ engagement: [engagementRule({ count: 'each' })] }), opens([5, 1, 3]), NOW);
    expect(result).toEqual({
      score: 6,
      grade: 'D',
      reasons: [{ rule: 'e', points: 6, kind: 'engagement', activityIds: [id(2), id(3), id(1)], activityCount: 3 }],
    });
  });

  it("given three opens, when a rule counts 'once', then it gives its points once", () => {
    const result = scoreLead(lead, ruleSet({ engagement: [engagementRule({ count: 'once', points: 4 })] }), opens([1, 2, 3]), NOW);
    expect(result.reasons).toEqual([{ rule: 'e', points: 4, kind: 'engagement', activityIds: [id(1), id(2), id(3)], activityCount: 3 }]);
  });

  it("given 'once' with minCount 2 (opened at least twice), then one open gives nothing and two give the points", () => {
    const twice = ruleSet({ engagement: [engagementRule({ id: 'opened-twice', count: 'once', minCount: 2, points: 5 })] });
    expect(scoreLead(lead, twice, opens([1]), NOW).reasons).toEqual([]);
    expect(scoreLead(lead, twice, opens([1, 4]), NOW).reasons).toEqual([
      { rule: 'opened-twice', points: 5, kind: 'engagement', activityIds: [id(1), id(2)], activityCount: 2 },
    ]);
  });

  it("given 'each' with minCount 3, then nothing until the third, then every one counts", () => {
    const rules = ruleSet({ engagement: [engagementRule({ minCount: 3 })] });
    expect(scoreLead(lead, rules, opens([1, 2]), NOW).score).toBe(0);
    expect(scoreLead(lead, rules, opens([1, 2, 3]), NOW).score).toBe(6);
  });

  it('given urlContains, then only visits of a matching page count (ignoring case), not other pages nor visits without a url', () => {
    const rules = ruleSet({ engagement: [engagementRule({ id: 'pricing', activity: 'page_visited', urlContains: ['/pricing'], points: 15, count: 'once' })] });
    const visits = [activity(1, 'page_visited', 1, 'https://acme.example/blog/pricing-models-2025'), activity(2, 'page_visited', 2, 'https://acme.example/Pricing/Enterprise')];
    const elsewhere = [activity(3, 'page_visited', 1, 'https://acme.example/blog'), activity(4, 'page_visited', 1)];
    expect(scoreLead(lead, rules, elsewhere, NOW).reasons).toEqual([]);
    expect(scoreLead(lead, rules, [...visits, ...elsewhere], NOW).reasons).toEqual([
      { rule: 'pricing', points: 15, kind: 'engagement', activityIds: [id(1), id(2)], activityCount: 2 },
    ]);
  });

  it('given withinDays 30, then an activity exactly 30 days old counts and an older one does not', () => {
    const rules = ruleSet({ engagement: [engagementRule({ withinDays: 30 })] });
    expect(scoreLead(lead, rules, opens([30, 30.01, 400]), NOW).reasons).toEqual([
      { rule: 'e', points: 2, kind: 'engagement', activityIds: [id(1)], activityCount: 1 },
    ]);
  });

  it('given activities of other kinds, then a rule counts only its own kind', () => {
    const result = scoreLead(lead, ruleSet({ engagement: [engagementRule({})] }), [activity(1, 'email_clicked', 1), activity(2, 'webinar_attended', 1)], NOW);
    expect(result.reasons).toEqual([]);
  });

  it('given an activity in the future of now, then it does not count (yet)', () => {
    const rules = ruleSet({ engagement: [engagementRule({})] });
    expect(scoreLead(lead, rules, opens([-0.001, 2]), NOW).reasons).toEqual([
      { rule: 'e', points: 2, kind: 'engagement', activityIds: [id(2)], activityCount: 1 },
    ]);
    expect(scoreLead(lead, rules, opens([-0.001, 2]), new Date(NOW.getTime() + DAY_MS)).score).toBe(4);
  });

  it('given an activity whose time cannot be read, then it does not count', () => {
    const rules = ruleSet({ engagement: [engagementRule({})] });
    expect(scoreLead(lead, rules, [{ activityId: id(1), kind: 'email_opened', at: 'yesterday' }, ...opens([1], 2)], NOW).reasons[0]).toMatchObject({ activityIds: [id(2)], activityCount: 1 });
  });

  it('given 25 counted activities, then the reason names the 20 most recent and counts all 25', () => {
    const days = Array.from({ length: 25 }, (_, index) => index);
    const [reason] = scoreLead(lead, ruleSet({ engagement: [engagementRule({ points: 1 })] }), opens(days), NOW).reasons;
    expect(reason).toMatchObject({ points: 25, activityCount: 25 });
    expect(reason?.activityIds).toEqual(days.slice(0, 20).map((_, index) => id(index + 1)));
  });

  it('given maxPoints, then the rule gives at most that, saying how much it would have given', () => {
    const rules = ruleSet({ engagement: [engagementRule({ points: 2, maxPoints: 10 })] });
    expect(scoreLead(lead, rules, opens([1, 2, 3, 4]), NOW).reasons).toEqual([
      { rule: 'e', points: 8, kind: 'engagement', activityIds: [id(1), id(2), id(3), id(4)], activityCount: 4 },
    ]);
    expect(scoreLead(lead, rules, opens([1, 2, 3, 4, 5, 6, 7, 8, 9]), NOW).reasons[0]).toMatchObject({ points: 10, uncapped: 18, activityCount: 9 });
  });

  it('given maxPoints on a negative rule, then it caps the size of the penalty', () => {
    const rules = ruleSet({ engagement: [engagementRule({ activity: 'unsubscribed', points: -5, maxPoints: 10 })] });
    const unsubscribes = [1, 2, 3].map((n) => activity(n, 'unsubscribed', n));
    expect(scoreLead(lead, rules, unsubscribes, NOW).reasons[0]).toMatchObject({ points: -10, uncapped: -15 });
  });
});

describe('scoreLead: decay with a clock', () => {
  const lead = anEnrichedLead().build();
  const decaying = (rule: Partial<EngagementRule>) => ruleSet({ decay: { halfLifeDays: 30 }, engagement: [engagementRule({ points: 10, ...rule })] });

  it.each([
    [0, 10],
    [30, 5],
    [60, 2.5],
    [90, 1.25],
    [10, 7.94],
  ])('given a half-life of 30 days, when the activity is %s days old, then it gives %s of its 10 points', (days, points) => {
    const [reason] = scoreLead(lead, decaying({}), opens([days]), NOW).reasons;
    expect(reason?.points).toBe(points);
    expect(reason?.uncapped).toBe(days === 0 ? undefined : 10);
  });

  it('given the same activity, when the clock moves on one half-life and then another, then its points halve each time', () => {
    const meeting = [activity(1, 'meeting_booked', 0)];
    const rules = decaying({ activity: 'meeting_booked', count: 'once', points: 30 });
    const at = (days: number) => scoreLead(lead, rules, meeting, new Date(NOW.getTime() + days * DAY_MS)).score;
    expect([at(0), at(30), at(60)]).toEqual([30, 15, 7.5]);
  });

  it("given 'each', then every activity decays by its own age", () => {
    expect(scoreLead(lead, decaying({}), opens([0, 30, 60]), NOW).reasons[0]).toMatchObject({ points: 17.5, uncapped: 30, activityCount: 3 });
  });

  it("given 'once' with minCount 2, then the points decay with the second most recent activity, the one that completes the latest pair", () => {
    const twice = decaying({ count: 'once', minCount: 2 });
    expect(scoreLead(lead, twice, opens([0, 30]), NOW).reasons[0]).toMatchObject({ points: 5, uncapped: 10 });
    expect(scoreLead(lead, twice, opens([0, 30, 60, 90]), NOW).reasons[0]).toMatchObject({ points: 5, uncapped: 10, activityCount: 4 });
    expect(scoreLead(lead, twice, opens([30, 60]), NOW).reasons[0]).toMatchObject({ points: 2.5 });
  });

  it('given decays false (an unsubscribe), then the points stay whole however old the activity', () => {
    const rules = decaying({ id: 'unsubscribed', activity: 'unsubscribed', count: 'once', points: -20, decays: false });
    expect(scoreLead(lead, rules, [activity(1, 'unsubscribed', 365)], NOW).reasons).toEqual([
      { rule: 'unsubscribed', points: -20, kind: 'engagement', activityIds: [id(1)], activityCount: 1 },
    ]);
  });

  it('given a cap, then it applies after decay: fresh activities reach it, old ones stay below it', () => {
    const capped = decaying({ maxPoints: 15 });
    expect(scoreLead(lead, capped, opens([0, 0, 30]), NOW).reasons[0]).toMatchObject({ points: 15, uncapped: 30 });
    expect(scoreLead(lead, capped, opens([60, 60, 60]), NOW).reasons[0]).toMatchObject({ points: 7.5, uncapped: 30 });
  });

  it('given an activity so old its points round to 0, then the rule is left out of the reasons', () => {
    expect(scoreLead(lead, decaying({}), opens([30 * 12]), NOW)).toEqual({ score: 0, grade: 'D', reasons: [] });
  });

  it('given no decay in the rule set, then age does not matter', () => {
    expect(scoreLead(lead, ruleSet({ engagement: [engagementRule({ points: 10 })] }), opens([3650]), NOW).score).toBe(10);
  });
});

describe('scoreLead: the total', () => {
  const plenty: FitRule[] = [
    { id: 'a', when: { field: 'country', op: 'present' }, points: 70 },
    { id: 'b', when: { field: 'title', op: 'present' }, points: 60 },
  ];

  it('given reasons adding up to more than maxScore, then the score is maxScore and says what the sum was', () => {
    const result = scoreLead(vp, ruleSet({ fit: plenty, maxScore: 100 }), [], NOW);
    expect(result).toMatchObject({ score: 100, uncapped: 130, grade: 'A' });
    expect(result.reasons.map((reason) => reason.points)).toEqual([70, 60]);
  });

  it('given reasons adding up to less than minScore, then the score is minScore', () => {
    const penalties = plenty.map((rule) => ({ ...rule, points: -rule.points }));
    expect(scoreLead(vp, ruleSet({ fit: penalties, minScore: -100 }), [], NOW)).toMatchObject({ score: -100, uncapped: -130, grade: 'D' });
  });

  it('given no clamping needed, then the score is the sum of the reasons and no uncapped total is given', () => {
    const result = scoreLead(vp, ruleSet({ fit: plenty, maxScore: 200, minScore: -200 }), [], NOW);
    expect(result.score).toBe(130);
    expect(result).not.toHaveProperty('uncapped');
  });

  it('rounds every reason and the total to 2 decimals', () => {
    const rules = ruleSet({
      fit: [{ id: 'third', when: { field: 'country', op: 'present' }, points: 1 / 3 }],
      decay: { halfLifeDays: 7 },
      engagement: [engagementRule({ points: 1 })],
    });
    const result = scoreLead(vp, rules, opens([1, 2]), NOW);
    // 1/3, then 0.5^(1/7) + 0.5^(2/7) = 1.726...
    expect(result.reasons.map((reason) => reason.points)).toEqual([0.33, 1.73]);
    expect(result.score).toBe(2.06);
  });
});

describe('gradeFor', () => {
  it.each([
    [100, 'A'],
    [70, 'A'],
    [69.99, 'B'],
    [50, 'B'],
    [49.99, 'C'],
    [30, 'C'],
    [29.99, 'D'],
    [-100, 'D'],
  ] as const)('given the demo grades (A 70, B 50, C 30), when the score is %s, then the grade is %s', (score, grade) => {
    expect(gradeFor(score, DEMO_RULE_SET)).toBe(grade);
  });

  it('given a score exactly on a threshold, then scoreLead gives that grade', () => {
    const rules = ruleSet({ fit: [{ id: 'b', when: { field: 'country', op: 'present' }, points: 50 }] });
    expect(scoreLead(vp, rules, [], NOW).grade).toBe('B');
  });
});

describe('scoreLead is pure and deterministic', () => {
  const lead = anEnrichedLead().build();
  const activities = [
    activity(1, 'email_opened', 3),
    activity(2, 'email_opened', 3),
    activity(3, 'page_visited', 12, 'https://leadstream.example/pricing'),
    activity(4, 'webinar_attended', 40),
    activity(5, 'email_opened', 0.5),
    activity(6, 'meeting_booked', 1),
    activity(7, 'content_downloaded', 80),
  ];

  it('given the same lead, rule set, activities in any order and now, then the same result, whatever the system clock says', () => {
    jest.useFakeTimers();
    try {
      jest.setSystemTime(new Date('2030-01-01T00:00:00Z'));
      const first = scoreLead(vp, DEMO_RULE_SET, activities, NOW);
      jest.setSystemTime(new Date('2001-01-01T00:00:00Z'));
      const shuffled = [activities[4], activities[1], activities[6], activities[0], activities[3], activities[5], activities[2]] as ScoredActivity[];
      expect(scoreLead(vp, DEMO_RULE_SET, shuffled, NOW)).toEqual(first);
      expect(scoreLead(vp, DEMO_RULE_SET, [...activities].reverse(), NOW)).toEqual(first);
      // Two activities at the same instant are named by id order, not by the order they were loaded in.
      expect(first.reasons.find((reason) => reason.rule === 'email-opened')?.activityIds).toEqual([id(5), id(1), id(2)]);
    } finally {
      jest.useRealTimers();
    }
  });

  it.each([10, 45])('given %s activities, several at the same instant, loaded in any order, then they are named most recent first, then by id', (total) => {
    // Activity n is floor(n / 3) days old: three at each instant.
    const all = Array.from({ length: total }, (_, n) => activity(n + 1, 'email_opened', Math.floor((n + 1) / 3)));
    const expected = [...all].sort((a, b) => b.at.localeCompare(a.at) || a.activityId.localeCompare(b.activityId)).map((item) => item.activityId);
    const rules = ruleSet({ engagement: [engagementRule({ points: 1 })] });
    const orders = [all, [...all].reverse(), all.filter((_, n) => n % 2 === 0).concat(all.filter((_, n) => n % 2 === 1))];
    for (const order of orders) {
      expect(scoreLead(lead, rules, order, NOW).reasons[0]).toMatchObject({ activityIds: expected.slice(0, 20), activityCount: total });
    }
  });

  it('does not change its inputs', () => {
    const before = JSON.stringify({ vp, activities, DEMO_RULE_SET });
    scoreLead(vp, DEMO_RULE_SET, activities, NOW);
    expect(JSON.stringify({ vp, activities, DEMO_RULE_SET })).toBe(before);
  });
});

describe('the demo rule set (version 1)', () => {
  const ceoAtMidMarketSoftware: EnrichedLead = { ...vp, title: 'Chief Revenue Officer', seniority: 'c-level', source: 'referral' };

  it('is itself a valid rule set', () => {
    expect(validateRuleSet(JSON.parse(JSON.stringify(DEMO_RULE_SET)))).toEqual(DEMO_RULE_SET);
  });

  it('given a chief revenue officer at a mid-market software company in the US, from a referral, then fit alone makes an A, every point explained', () => {
    expect(scoreLead(ceoAtMidMarketSoftware, DEMO_RULE_SET, [], NOW)).toEqual({
      score: 73,
      grade: 'A',
      reasons: [
        { rule: 'seniority-executive', points: 20, kind: 'fit', fields: { seniority: 'c-level' } },
        { rule: 'title-revenue-role', points: 8, kind: 'fit', fields: { title: 'Chief Revenue Officer' } },
        { rule: 'industry-target', points: 10, kind: 'fit', fields: { industry: 'Software' } },
        { rule: 'employees-mid-market', points: 15, kind: 'fit', fields: { employeeCount: 250 } },
        { rule: 'country-territory', points: 10, kind: 'fit', fields: { country: 'US' } },
        { rule: 'source-high-intent', points: 10, kind: 'fit', fields: { source: 'referral' } },
      ],
    });
  });

  it('given that lead opened twice, visited pricing and booked a meeting this week, then the score reaches the cap of 100', () => {
    const engaged = [
      activity(1, 'email_opened', 2),
      activity(2, 'email_opened', 1),
      activity(3, 'page_visited', 1, 'https://leadstream.example/pricing'),
      activity(4, 'meeting_booked', 0),
    ];
    const result = scoreLead(ceoAtMidMarketSoftware, DEMO_RULE_SET, engaged, NOW);
    expect(result).toMatchObject({ score: 100, grade: 'A' });
    expect(result.uncapped).toBeGreaterThan(100);
    expect(result.reasons.filter((reason) => reason.kind === 'engagement').map((reason) => reason.rule)).toEqual([
      'email-opened',
      'email-opened-twice',
      'pricing-page-visited',
      'meeting-booked',
    ]);
  });

  it('given a student with a free mailbox outside the territories who unsubscribed a year ago, then D, the unsubscribe still counted in full', () => {
    const student = anEnrichedLead().withFreeEmail().withTitle('Student').withCountry('KE').build();
    expect(scoreLead({ ...student, seniority: 'individual-contributor' }, DEMO_RULE_SET, [activity(1, 'unsubscribed', 365)], NOW)).toEqual({
      score: -35,
      grade: 'D',
      reasons: [
        { rule: 'free-email', points: -15, kind: 'fit', fields: { isFreeEmail: true } },
        { rule: 'unsubscribed', points: -20, kind: 'engagement', activityIds: [id(1)], activityCount: 1 },
      ],
    });
  });

  it('given someone at a competitor, then the penalty outweighs a good fit', () => {
    const spy = { ...ceoAtMidMarketSoftware, email: 'cro@scorely.example', emailDomain: 'scorely.example', companyDomain: 'scorely.example' };
    const result = scoreLead(spy, DEMO_RULE_SET, [], NOW);
    expect(result.reasons).toContainEqual({ rule: 'competitor-domain', points: -50, kind: 'fit', fields: { companyDomain: 'scorely.example' } });
    expect(result).toMatchObject({ score: 23, grade: 'D' });
  });

  it('given a pricing visit more than 90 days ago, then it no longer counts', () => {
    const visit = [activity(1, 'page_visited', 91, 'https://leadstream.example/pricing')];
    expect(scoreLead(vp, DEMO_RULE_SET, visit, NOW).reasons.map((reason) => reason.rule)).not.toContain('pricing-page-visited');
  });
});
