import { toE164 } from './phone';

describe('toE164', () => {
  it.each([
    ['+1 (415) 555-0132', undefined, '+14155550132'],
    ['0049 30 1234567', undefined, '+49301234567'],
    ['(415) 555-0132', 'US', '+14155550132'],
    ['1-415-555-0132', 'CA', '+14155550132'],
    ['020 7183 8750', 'GB', '+442071838750'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['06 1234 5678', 'IT', '+390612345678'],
    ['+49 30 1234567 ext. 204', undefined, '+49301234567'],
    ['030/1234567', 'DE', '+49301234567'],
    ['+44 (0)20 7183 8750', 'GB', '+442071838750'],
    ['(020) 7183 8750', 'GB', '+442071838750'],
  ])('%p in %p -> %p', (raw, country, expected) => {
    expect(toE164(raw, country)).toBe(expected);
  });

  it.each([
    ['a national number without a country', '020 7183 8750', undefined],
    ['a country without a calling plan', '020 7183 8750', 'KE'],
    ['too few digits', '+49 301', undefined],
    ['too many digits', '+49 3012 3456 7890 1234', undefined],
    ['letters', 'call me', 'US'],
    ['an invalid North American area code', '(015) 555-0132', 'US'],
  ])('cannot read %s', (_case, raw, country) => {
    expect(toE164(raw, country)).toBeUndefined();
  });
});
