import { escapeHtml, isOriginAllowed, mapFormSubmission, renderFormSnippet, validateFormDefinition, type FormDefinition } from './form-definition';
import { InvalidFormDefinitionError } from './intake-error';
import { validateLeadInput } from './validate-lead-input';

const RAW_FORM = {
  formId: 'contact-us',
  version: '3',
  fieldMapping: { your_email: 'email', name: 'firstName', org: 'company', utm: 'utmSource' },
  redirectUrl: 'https://www.example.com/thanks',
  allowedOrigins: ['https://www.example.com', 'HTTPS://Shop.Example.com:443'],
  honeypotField: 'website',
  source: 'website',
  campaign: 'always-on',
};

const form: FormDefinition = validateFormDefinition(RAW_FORM);

describe('validateFormDefinition', () => {
  it('accepts a form, normalising its origins', () => {
    expect(form).toEqual({ ...RAW_FORM, allowedOrigins: ['https://www.example.com', 'https://shop.example.com'] });
  });

  it.each([
    ['not an object', null, '', /expected an object, got null/],
    ['an unknown setting', { ...RAW_FORM, honeypot: 'x' }, 'honeypot', /unknown setting/],
    ['a bad form id', { ...RAW_FORM, formId: 'contact us' }, 'formId', /letters, digits/],
    ['no version', { ...RAW_FORM, version: '' }, 'version', /non-empty string/],
    ['a mapping to an unknown field', { ...RAW_FORM, fieldMapping: { e: 'email', x: 'notes' } }, 'fieldMapping.x', /"notes" is not a lead field/],
    ['a __proto__ form field', { ...RAW_FORM, fieldMapping: JSON.parse('{"e":"email","__proto__":"company"}') }, 'fieldMapping.__proto__', /form field names/],
    ['two form fields for one lead field', { ...RAW_FORM, fieldMapping: { e: 'email', e2: 'email' } }, 'fieldMapping.e2', /already filled by form field e/],
    ['no email field', { ...RAW_FORM, fieldMapping: { name: 'firstName' } }, 'fieldMapping', /no form field fills email/],
    ['no origins', { ...RAW_FORM, allowedOrigins: [] }, 'allowedOrigins', /non-empty list/],
    ['an origin with a path', { ...RAW_FORM, allowedOrigins: ['https://example.com/contact'] }, 'allowedOrigins[0]', /not an origin/],
    ['an origin that is not a URL', { ...RAW_FORM, allowedOrigins: ['example.com'] }, 'allowedOrigins[0]', /not an origin/],
    ['a javascript: redirect', { ...RAW_FORM, redirectUrl: 'javascript:alert(1)' }, 'redirectUrl', /not an http or https URL/],
    ['a honeypot that is a mapped field', { ...RAW_FORM, honeypotField: 'name' }, 'honeypotField', /also a mapped field/],
  ])('rejects %s with INTAKE.INVALID_FORM naming the entry', (_case, raw, path, message) => {
    let thrown: unknown;
    try {
      validateFormDefinition(raw);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidFormDefinitionError);
    expect(thrown).toMatchObject({ code: 'INTAKE.INVALID_FORM', path });
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('mapFormSubmission', () => {
  it('renames mapped fields, takes UTM hidden inputs, adds the form source and campaign, ignores the rest', () => {
    const submission = mapFormSubmission(
      { your_email: 'ada@example.com', name: 'Ada', website: '', utm_medium: 'cpc', submit: 'Send', csrf: 'abc' },
      form,
    );
    expect(submission).toEqual({
      kind: 'lead',
      input: { email: 'ada@example.com', firstName: 'Ada', utmMedium: 'cpc', source: 'website', campaign: 'always-on' },
    });
    expect(submission.kind === 'lead' && validateLeadInput(submission.input).ok).toBe(true);
  });

  it('keeps the source a post carries', () => {
    const withSource = validateFormDefinition({ ...RAW_FORM, fieldMapping: { ...RAW_FORM.fieldMapping, src: 'source' } });
    expect(mapFormSubmission({ your_email: 'a@b.co', src: 'partner' }, withSource)).toMatchObject({ input: { source: 'partner' } });
  });

  it('calls a post with the honeypot filled a bot', () => {
    expect(mapFormSubmission({ your_email: 'bot@spam.example', website: 'http://spam.example' }, form)).toEqual({ kind: 'bot' });
  });

  it('does not read inherited properties as form fields', () => {
    const body = JSON.parse('{"__proto__":{"your_email":"x@y.co"}}');
    expect(mapFormSubmission(body, form)).toEqual({ kind: 'lead', input: { source: 'website', campaign: 'always-on' } });
  });
});

describe('isOriginAllowed', () => {
  it.each([
    ['https://www.example.com', true],
    ['https://WWW.example.com:443', true],
    ['https://shop.example.com', true],
    ['http://www.example.com', false],
    ['https://www.example.com.evil.example', false],
    ['null', false],
    [undefined, false],
    ['not a url', false],
  ])('%p -> %p', (origin, allowed) => {
    expect(isOriginAllowed(origin, form)).toBe(allowed);
  });

  it('allows any origin with *', () => {
    expect(isOriginAllowed(undefined, validateFormDefinition({ ...RAW_FORM, allowedOrigins: ['*'] }))).toBe(true);
  });
});

describe('renderFormSnippet', () => {
  it('renders a plain form posting to the action URL, with labels, hidden attribution and an off-screen honeypot', () => {
    const html = renderFormSnippet(form, 'https://leads.example.com/v1/forms/contact-us');
    expect(html).toContain('<form class="leadstream-form" method="post" action="https://leads.example.com/v1/forms/contact-us" accept-charset="utf-8"');
    expect(html).toContain('<label for="ls-contact-us-your_email">Email</label>');
    expect(html).toContain('<input id="ls-contact-us-your_email" type="email" name="your_email" autocomplete="email" required>');
    expect(html).toContain('<input type="hidden" name="utm" value="">');
    expect(html).toMatch(/<div style="position:absolute;left:-10000px[^"]*" aria-hidden="true">\s*<label>Leave this field empty <input type="text" name="website" tabindex="-1"/);
    expect(html).toContain('<button type="submit">Send</button>');
  });

  it('escapes everything it writes into the page', () => {
    const html = renderFormSnippet(form, 'https://x.example/"><script>alert(1)</script>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('action="https://x.example/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
