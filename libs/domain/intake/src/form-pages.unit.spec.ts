import { NAMES_NO_ONE } from '@leadstream/contracts';
import { validateFormDefinition } from './form-definition';
import { describeFormErrors, renderFormErrorPage, renderFormRefusalPage } from './form-pages';
import { DEFAULT_INTAKE_RULES } from './intake-rules';
import { validateLeadInput } from './validate-lead-input';

const form = validateFormDefinition({
  formId: 'webinar',
  version: '1',
  fields: [
    { name: 'your_email', field: 'email', label: 'Work email' },
    { name: 'tel', field: 'phone', label: 'Your <phone>' },
  ],
  consent: { text: 'I agree to be emailed' },
  allowedOrigins: ['*'],
});
const rules = { ...DEFAULT_INTAKE_RULES, phone: 'reject-invalid' as const, required: ['email' as const, 'company' as const], rejectDisposableEmail: true };

function errorsOf(input: Record<string, unknown>): { field: string; message: string }[] {
  const result = validateLeadInput(input, rules);
  return result.ok ? [] : result.errors;
}

describe('describeFormErrors', () => {
  it('names each problem by the label the form shows, with advice judged from the value sent', () => {
    const input = { email: 'no-at-sign', phone: 'call me' };
    const problems = describeFormErrors(form, [...errorsOf(input), { field: 'consent', message: 'not ticked' }], input, rules);
    expect(problems).toEqual([
      { label: 'Company', advice: 'Please fill this in.' },
      { label: 'Work email', advice: 'Please enter an email address such as name@example.com.' },
      { label: 'Your <phone>', advice: expect.stringMatching(/^Please enter a phone number/) },
      { label: 'I agree to be emailed', advice: 'Please tick this box to send the form.' },
    ]);
  });

  it('asks for a web address when the website is not one', () => {
    const input = { email: 'ada@gmail.com', company: 'Acme', website: 'acme dot com' };
    expect(describeFormErrors(form, errorsOf(input), input, rules)).toEqual([{ label: 'Website', advice: 'Please enter a web address such as example.com or https://www.example.com.' }]);
  });

  it('says when a value is too long, from a throwaway mailbox, missing or sent twice', () => {
    const long = { email: `${'a'.repeat(60)}@example.com`, phone: '1'.repeat(50) };
    expect(describeFormErrors(form, errorsOf(long).filter((e) => e.field === 'phone'), long, rules)).toEqual([{ label: 'Your <phone>', advice: 'Please shorten this to at most 40 characters (it has 50).' }]);
    const throwaway = { email: 'x@mailinator.com' };
    expect(describeFormErrors(form, errorsOf(throwaway).filter((e) => e.field === 'email'), throwaway, rules)[0]?.advice).toMatch(/throwaway mailbox/);
    expect(describeFormErrors(form, [{ field: 'email', message: 'email is required' }], {}, rules)).toEqual([{ label: 'Work email', advice: 'Please fill this in.' }]);
    expect(describeFormErrors(form, [{ field: 'email', message: 'email must be a string, got array' }], { email: ['a', 'b'] }, rules)[0]?.advice).toMatch(/more than once/);
  });

  describe('a post that names no one', () => {
    const callback = validateFormDefinition({
      formId: 'callback',
      version: '1',
      fields: [
        { name: 'first', field: 'firstName', label: 'Your name' },
        { name: 'org', field: 'company', label: 'Your company' },
        { name: 'e', field: 'email', label: 'Email', required: false },
        { name: 'tel', field: 'phone', label: 'Phone number' },
      ],
      allowedOrigins: ['*'],
    });

    it('given a post with a name alone, then the visitor is asked for the inputs that would name them, by their labels', () => {
      const input = { firstName: 'Ada' };
      const result = validateLeadInput(input);
      expect(result.ok).toBe(false);
      const problems = describeFormErrors(callback, result.ok ? [] : result.errors, input, DEFAULT_INTAKE_RULES);
      expect(problems).toEqual([{ label: 'How to reach you', advice: 'Please fill in Email or Phone number or Your name and Your company, so that we know who you are.' }]);
      expect(renderFormErrorPage(problems)).not.toMatch(/names no one/);
    });

    it('given an empty email the form requires as well, then only the email is asked for', () => {
      const errors = [{ field: '', message: NAMES_NO_ONE }, { field: 'email', message: 'email is required by this form' }];
      expect(describeFormErrors(form, errors, {}, DEFAULT_INTAKE_RULES)).toEqual([{ label: 'Work email', advice: 'Please fill this in.' }]);
    });
  });

  it('never shows the internal input name or the internal message', () => {
    const input = { email: 'no-at-sign' };
    const page = renderFormErrorPage(describeFormErrors(form, errorsOf(input), input, rules));
    expect(page).not.toContain('your_email');
    expect(page).not.toContain('has no @');
    expect(page).toContain('<strong>Work email</strong>: Please enter an email address');
  });
});

describe('renderFormErrorPage', () => {
  it('is a short HTML page, everything escaped', () => {
    const page = renderFormErrorPage([{ label: 'Your <phone>', advice: 'Please <b>check</b> this entry.' }]);
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<title>Please correct the form</title>');
    expect(page).toContain('<li><strong>Your &lt;phone&gt;</strong>: Please &lt;b&gt;check&lt;/b&gt; this entry.</li>');
    expect(page).toContain('Back to the form');
  });
});

describe('renderFormRefusalPage', () => {
  it.each([
    [{ kind: 'origin-not-allowed' as const }, /cannot be sent from this page/],
    [{ kind: 'unknown-form' as const }, /no longer available/],
    [{ kind: 'rate-limited' as const, retryAfterSeconds: 12 }, /Please wait 12 seconds/],
    [{ kind: 'rate-limited' as const }, /Please wait a moment/],
    [{ kind: 'unavailable' as const, retryAfterSeconds: 5 }, /could not be sent just now[\s\S]*wait 5 seconds/],
    [{ kind: 'unreadable' as const }, /could not be read/],
  ])('%p explains itself to the visitor', (refusal, text) => {
    const page = renderFormRefusalPage(refusal);
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toMatch(text);
    expect(page).not.toMatch(/[{}]/);
  });
});
