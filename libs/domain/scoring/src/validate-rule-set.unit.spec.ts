import { DEMO_RULE_SET } from './demo-rule-set';
import { InvalidRuleSetError, validateRuleSet } from './validate-rule-set';

// These tests break raw, JSON-shaped configuration on purpose; typing it precisely would defeat that.
/* eslint-disable @typescript-eslint/no-explicit-any */
type RawRuleSet = any;

function withChange(change: (raw: RawRuleSet) => void): unknown {
  const raw = JSON.parse(JSON.stringify(DEMO_RULE_SET));
  change(raw);
  return raw;
}

describe('validateRuleSet', () => {
  it.each([
    ['no version', (r: RawRuleSet) => delete r.version, 'version', /non-empty string/],
    ['rules not a list', (r: RawRuleSet) => (r.rules = {}), 'rules', /list of rules/],
    ['unknown field', (r: RawRuleSet) => (r.rules[0].when.field = 'jobTitle'), 'rules[0].when.field', /must be one of .*title/],
    ['unknown operator', (r: RawRuleSet) => (r.rules[0].when.op = 'startsWith'), 'rules[0].when.op', /equals, in, contains, present, absent/],
    ['empty contains list', (r: RawRuleSet) => (r.rules[0].when.value = []), 'rules[0].when.value', /non-empty list/],
    ['points as text', (r: RawRuleSet) => (r.rules[1].points = '20'), 'rules[1].points', /must be a number/],
    ['a typo in a key', (r: RawRuleSet) => (r.rules[1].point = 20), 'rules[1].point', /not a known setting/],
    ['duplicate ids', (r: RawRuleSet) => (r.rules[2].id = r.rules[1].id), 'rules[2].id', /duplicates/],
    ['unknown activity', (r: RawRuleSet) => (r.rules[6].activity = 'tweeted'), 'rules[6].activity', /email_opened/],
    ['negative cap', (r: RawRuleSet) => (r.rules[6].maxPoints = -1), 'rules[6].maxPoints', /zero or more/],
    ['grades out of order', (r: RawRuleSet) => (r.grades.B = 80), 'grades.B', /below grades.A/],
    ['MQL above SQL', (r: RawRuleSet) => (r.mqlThreshold = 95), 'mqlThreshold', /below sqlThreshold/],
  ])('rejects %s, naming %s', (_name, change, path, message) => {
    let error: unknown;
    try {
      validateRuleSet(withChange(change));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidRuleSetError);
    expect(error).toMatchObject({ code: 'SCORING.INVALID_RULE_SET', path });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message.startsWith(path)).toBe(true);
  });

  it('accepts conditions given as a list', () => {
    const raw = withChange((r) => (r.rules[0].when = [{ field: 'title', op: 'present' }, { field: 'phone', op: 'absent' }]));
    expect(validateRuleSet(raw).rules[0]).toMatchObject({ when: [{ op: 'present' }, { op: 'absent' }] });
  });
});
