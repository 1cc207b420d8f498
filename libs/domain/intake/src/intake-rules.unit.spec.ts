import { InvalidIntakeRulesError } from './intake-error';
import { DEFAULT_INTAKE_RULES, DEFAULT_MAX_LENGTH, validateIntakeRules } from './intake-rules';

describe('validateIntakeRules', () => {
  it('accepts the defaults', () => {
    expect(validateIntakeRules(JSON.parse(JSON.stringify(DEFAULT_INTAKE_RULES)))).toEqual(DEFAULT_INTAKE_RULES);
  });

  it('fills the length limits the configuration leaves out and lower-cases extra disposable domains', () => {
    const rules = validateIntakeRules({
      version: 'acme-2',
      required: ['email', 'company'],
      rejectDisposableEmail: true,
      disposableDomains: [' Throwaway.Example '],
      phone: 'reject-invalid',
      maxLength: { company: 80 },
    });
    expect(rules).toEqual({
      version: 'acme-2',
      required: ['email', 'company'],
      rejectDisposableEmail: true,
      disposableDomains: ['throwaway.example'],
      phone: 'reject-invalid',
      maxLength: { ...DEFAULT_MAX_LENGTH, company: 80 },
    });
  });

  it('requires nothing by default beyond naming someone, and takes rules that require email, other fields or nothing', () => {
    expect(DEFAULT_INTAKE_RULES.required).toEqual([]);
    const base = { version: 'v1', rejectDisposableEmail: false, phone: 'keep-raw' };
    expect(validateIntakeRules({ ...base, required: [] }).required).toEqual([]);
    expect(validateIntakeRules({ ...base, required: ['company'] }).required).toEqual(['company']);
    expect(validateIntakeRules({ ...base, required: ['email'] }).required).toEqual(['email']);
  });

  const valid = { version: 'v1', required: ['email'], rejectDisposableEmail: false, phone: 'keep-raw' };

  it.each([
    ['not an object', 'rules', '', /expected an object, got string/],
    ['an unknown setting', { ...valid, rejectDisposableEmails: true }, 'rejectDisposableEmails', /unknown setting/],
    ['no version', { ...valid, version: ' ' }, 'version', /non-empty string/],
    ['required not a list', { ...valid, required: 'email' }, 'required', /list of lead fields/],
    ['an unknown required field', { ...valid, required: ['email', 'mail'] }, 'required[1]', /"mail" is not a lead field/],
    ['a non-boolean switch', { ...valid, rejectDisposableEmail: 'yes' }, 'rejectDisposableEmail', /true or false, got string/],
    ['a bad disposable domain', { ...valid, disposableDomains: ['ok.example', 'not a domain'] }, 'disposableDomains[1]', /not a domain name/],
    ['an unknown phone policy', { ...valid, phone: 'strict' }, 'phone', /reject-invalid, keep-raw, ignore, got "strict"/],
    ['a length for an unknown field', { ...valid, maxLength: { notes: 10 } }, 'maxLength.notes', /unknown field/],
    ['a __proto__ length', { ...valid, maxLength: JSON.parse('{"__proto__": 10}') }, 'maxLength.__proto__', /unknown field/],
    ['a length over what the events carry', { ...valid, maxLength: { company: 5000 } }, 'maxLength.company', /at most 1000 .*got 5000/],
    ['a length that is not a positive integer', { ...valid, maxLength: { email: 0 } }, 'maxLength.email', /positive integer, got 0/],
  ])('rejects %s with INTAKE.INVALID_RULES naming the entry', (_case, raw, path, message) => {
    let thrown: unknown;
    try {
      validateIntakeRules(raw);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidIntakeRulesError);
    expect(thrown).toMatchObject({ code: 'INTAKE.INVALID_RULES', path, kind: 'permanent' });
    expect((thrown as Error).message).toMatch(message);
  });
});
