import { DEFAULT_MATCH_RULES, parseMatchRules } from './match-rules';
import { MatchRulesError } from './match-rules-error';
import { DEFAULT_SURVIVORSHIP_RULES } from './survivorship';

function errorOf(raw: unknown): MatchRulesError {
  try {
    parseMatchRules(raw);
  } catch (error) {
    if (error instanceof MatchRulesError) return error;
    throw error;
  }
  throw new Error('parseMatchRules accepted the rules');
}

describe('parseMatchRules', () => {
  it('given an empty object, when parsed, then every setting takes its default', () => {
    expect(parseMatchRules({})).toEqual(DEFAULT_MATCH_RULES);
  });

  it('given some settings, when parsed, then they replace the defaults and the rest stay', () => {
    const rules = parseMatchRules({ version: '2', autoMergeAt: 0.97, weights: { phone: { agree: 6 } }, survivorship: { fields: { phone: 'oldest' } } });
    expect(rules.version).toBe('2');
    expect(rules.autoMergeAt).toBe(0.97);
    expect(rules.reviewAt).toBe(DEFAULT_MATCH_RULES.reviewAt);
    expect(rules.weights.phone).toEqual({ agree: 6, disagree: DEFAULT_MATCH_RULES.weights.phone.disagree });
    expect(rules.weights.lastName).toEqual(DEFAULT_MATCH_RULES.weights.lastName);
    expect(rules.survivorship.fields.phone).toBe('oldest');
    expect(rules.survivorship.fields.email).toBe(DEFAULT_SURVIVORSHIP_RULES.fields.email);
  });

  it.each([
    [{ autoMergeAt: 0.5, reviewAt: 0.8 }, 'autoMergeAt', 'autoMergeAt must be a number between 0 and 1 and above reviewAt (0.8), got 0.5'],
    [{ reviewAt: 1.5 }, 'reviewAt', 'reviewAt must be a number between 0 and 1, got 1.5'],
    [{ reviewAt: '0.6' }, 'reviewAt', 'reviewAt must be a finite number, got "0.6"'],
    [{ version: '' }, 'version', 'version must be a non-empty string, got ""'],
    [{ maxCandidatesPerKey: 0 }, 'maxCandidatesPerKey', 'maxCandidatesPerKey must be a whole number from 1 to 10000, got 0'],
    [{ weights: { phone: { agree: -1 } } }, 'weights.phone.agree', 'weights.phone.agree must be zero or more, got -1'],
    [{ weights: { shoeSize: {} } }, 'weights.shoeSize', expect.stringContaining('weights.shoeSize is not a feature')],
    [{ exactEmailMerges: 'yes' }, 'exactEmailMerges', 'exactEmailMerges must be true or false, got "yes"'],
    [{ similarAt: 0.7 }, 'similarAt', 'similarAt must be a number between 0 and 1 and above differentAt (0.75), got 0.7'],
    [{ survivorship: { fields: { phone: 'loudest' } } }, 'survivorship.fields.phone', expect.stringContaining('survivorship.fields.phone must be one of most-recent, oldest')],
    [{ survivorship: { sourceTrust: ['api', 3] } }, 'survivorship.sourceTrust.1', 'survivorship.sourceTrust.1 must be a source name, got 3'],
  ])('given %j, when parsed, then DEDUPE.INVALID_MATCH_RULES at %s', (raw, path, message) => {
    const error = errorOf(raw);
    expect(error.code).toBe('DEDUPE.INVALID_MATCH_RULES');
    expect(error.path).toBe(path);
    expect(error.message).toEqual(message);
  });

  it.each([null, 'rules', 42, []])('given %p, when parsed, then it is rejected as a whole', (raw) => {
    expect(errorOf(raw).message).toMatch(/^match rules must be an object/);
  });
});
