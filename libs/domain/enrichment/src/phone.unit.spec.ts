import { normalisePhone, toE164 } from './phone';

describe('toE164', () => {
  it.each([
    ['+1 (415) 555-0132', undefined, '+14155550132'],
    ['0049 30 1234567', undefined, '+49301234567'],
    ['(415) 555-0132', 'US', '+14155550132'],
    ['1-415-555-0132', 'CA', '+14155550132'],
    ['011 44 20 7183 8750', 'US', '+442071838750'],
    ['020 7183 8750', 'GB', '+442071838750'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['06 1234 5678', 'IT', '+390612345678'],
    ['+49 30 1234567 ext. 204', undefined, '+49301234567'],
    ['030/1234567', 'DE', '+49301234567'],
    ['+44 (0)20 7183 8750', 'GB', '+442071838750'],
    ['(020) 7183 8750', 'GB', '+442071838750'],
    // Countries the old hand-kept table of thirty calling plans did not know.
    ['0712 345678', 'KE', '+254712345678'],
    ['0803 123 4567', 'NG', '+2348031234567'],
    ['091 234 5678', 'VN', '+84912345678'],
    ['0917 123 4567', 'PH', '+639171234567'],
    ['+86 138 0013 8000', 'DE', '+8613800138000'],
  ])('given %p typed by a lead in %p, then %p', (raw, country, expected) => {
    expect(toE164(raw, country)).toBe(expected);
  });

  it.each([
    ['a national number without a country', '020 7183 8750', undefined],
    ['too few digits', '+49 301', undefined],
    ['too many digits', '+49 3012 3456 7890 1234', undefined],
    ['letters', 'call me', 'US'],
    ['an invalid North American area code', '(015) 555-0132', 'US'],
    ['an absurdly long value', '1'.repeat(5000), 'US'],
  ])('given %s, then there is no E.164 form', (_case, raw, country) => {
    expect(toE164(raw, country)).toBeUndefined();
  });
});

describe('normalisePhone', () => {
  it('given a national number, then it is E.164 and what the lead typed is kept beside it', () => {
    expect(normalisePhone(' 030  1234 5678 ', 'DE')).toEqual({ phone: '+493012345678', asTyped: '030 1234 5678' });
  });

  it('given a number already typed in E.164, then nothing else is kept', () => {
    expect(normalisePhone('+493012345678', 'DE')).toEqual({ phone: '+493012345678' });
  });

  it('given text that is no valid number, then it stays as typed and is flagged', () => {
    expect(normalisePhone(' 555 0100 ', undefined)).toEqual({ phone: '555 0100', unparseable: true });
    expect(normalisePhone('call me after 5', 'GB')).toEqual({ phone: 'call me after 5', unparseable: true });
  });

  it('given a blank phone, then there is no phone', () => {
    expect(normalisePhone('   ', 'US')).toBeUndefined();
  });
});
