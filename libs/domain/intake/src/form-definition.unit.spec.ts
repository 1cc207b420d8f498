import { NAMES_NO_ONE } from '@leadstream/contracts';
import { escapeHtml, isOriginAllowed, mapFormSubmission, renderFormSnippet, validateFormDefinition, type FormDefinition } from './form-definition';
import { InvalidFormDefinitionError } from './intake-error';
import { validateLeadInput } from './validate-lead-input';

const RAW_FORM = {
  formId: 'contact-us',
  version: '3',
  fields: [
    { name: 'org', field: 'company', label: 'Your company', required: true },
    { name: 'your_email', field: 'email', label: 'Work email' },
    { name: 'name', field: 'firstName' },
    { name: 'utm', field: 'utmSource' },
    { name: 'land', field: 'country', label: 'Country' },
  ],
  consent: { text: 'I agree that Example Ltd may email me about this webinar.' },
  redirectUrl: 'https://www.example.com/thanks',
  allowedOrigins: ['https://www.example.com', 'HTTPS://Shop.Example.com:443'],
  honeypotField: 'website',
  source: 'website',
  campaign: 'always-on',
};

const form: FormDefinition = validateFormDefinition(RAW_FORM);

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('validateFormDefinition', () => {
  it('accepts a form, keeping the fields in order with their labels and required marks, normalising its origins', () => {
    expect(form).toEqual({
      ...RAW_FORM,
      fields: [
        { name: 'org', field: 'company', label: 'Your company', required: true },
        { name: 'your_email', field: 'email', label: 'Work email', required: true },
        { name: 'name', field: 'firstName', label: 'First name', required: false },
        { name: 'utm', field: 'utmSource', label: 'UTM source', required: false },
        { name: 'land', field: 'country', label: 'Country', required: false },
      ],
      consent: { name: 'consent', text: RAW_FORM.consent.text, required: true },
      allowedOrigins: ['https://www.example.com', 'https://shop.example.com'],
    });
  });

  it('reads the older fieldMapping object as fields in the order it is written, with the usual labels', () => {
    const { fields, consent, ...rest } = RAW_FORM;
    void fields;
    void consent;
    const legacy = validateFormDefinition({ ...rest, fieldMapping: { country: 'country', your_email: 'email', name: 'firstName' } });
    expect(legacy.fields).toEqual([
      { name: 'country', field: 'country', label: 'Country', required: false },
      { name: 'your_email', field: 'email', label: 'Email', required: true },
      { name: 'name', field: 'firstName', label: 'First name', required: false },
    ]);
    expect(legacy).not.toHaveProperty('fieldMapping');
    // what it returns is accepted again as it is (it is what the catalog stores)
    expect(validateFormDefinition(JSON.parse(JSON.stringify(legacy)))).toEqual(legacy);
  });

  it('takes a callback form that asks for a phone and no email, and an email input marked not required', () => {
    const callback = validateFormDefinition({ ...RAW_FORM, fields: [{ name: 'name', field: 'firstName' }, { name: 'tel', field: 'phone', label: 'Your number', required: true }] });
    expect(callback.fields).toEqual([
      { name: 'name', field: 'firstName', label: 'First name', required: false },
      { name: 'tel', field: 'phone', label: 'Your number', required: true },
    ]);
    const optionalEmail = validateFormDefinition({ ...RAW_FORM, fields: [{ name: 'e', field: 'email', required: false }, { name: 'tel', field: 'phone' }] });
    expect(optionalEmail.fields.map((field) => field.required)).toEqual([false, false]);
  });

  const EMAIL = { name: 'e', field: 'email' };
  it.each([
    ['not an object', null, '', /expected an object, got null/],
    ['an unknown setting', { ...RAW_FORM, honeypot: 'x' }, 'honeypot', /unknown setting/],
    ['a bad form id', { ...RAW_FORM, formId: 'contact us' }, 'formId', /letters, digits/],
    ['no version', { ...RAW_FORM, version: '' }, 'version', /non-empty string/],
    ['fields and fieldMapping both', { ...RAW_FORM, fieldMapping: { e: 'email' } }, 'fields', /either fields .* or fieldMapping/],
    ['fields that are not a list', { ...RAW_FORM, fields: { e: 'email' } }, 'fields', /non-empty list/],
    ['no fields', { ...RAW_FORM, fields: [] }, 'fields', /non-empty list/],
    ['a field that is not an object', { ...RAW_FORM, fields: [EMAIL, 'name'] }, 'fields[1]', /expected an object/],
    ['an unknown key in a field', { ...RAW_FORM, fields: [{ ...EMAIL, placeholder: 'you@' }] }, 'fields[0].placeholder', /unknown setting/],
    ['a field to an unknown lead field', { ...RAW_FORM, fields: [EMAIL, { name: 'x', field: 'notes' }] }, 'fields[1].field', /"notes" is not a lead field/],
    ['a field to externalIds', { ...RAW_FORM, fields: [EMAIL, { name: 'sf', field: 'externalIds' }] }, 'fields[1].field', /"externalIds" cannot be filled by a web form/],
    ['a field to one external id', { ...RAW_FORM, fields: [EMAIL, { name: 'sf', field: 'externalIds.salesforce' }] }, 'fields[1].field', /cannot be filled by a web form/],
    ['a __proto__ input name', { ...RAW_FORM, fields: [EMAIL, { name: '__proto__', field: 'company' }] }, 'fields[1].name', /form field names/],
    ['an input listed twice', { ...RAW_FORM, fields: [EMAIL, { name: 'e', field: 'company' }] }, 'fields[1].name', /listed twice/],
    ['two inputs for one lead field', { ...RAW_FORM, fields: [EMAIL, { name: 'e2', field: 'email' }] }, 'fields[1].field', /already filled by form field e/],
    ['neither an email nor a phone field', { ...RAW_FORM, fields: [{ name: 'name', field: 'firstName' }, { name: 'org', field: 'company' }] }, 'fields', /no form field fills email or phone/],
    ['neither in the older form', { ...RAW_FORM, fields: undefined, fieldMapping: { name: 'lastName' } }, 'fieldMapping', /no form field fills email or phone/],
    ['an empty label', { ...RAW_FORM, fields: [{ ...EMAIL, label: '  ' }] }, 'fields[0].label', /non-empty string .* got an empty string/],
    ['a label that is not text', { ...RAW_FORM, fields: [{ ...EMAIL, label: 7 }] }, 'fields[0].label', /got number/],
    ['required that is not true or false', { ...RAW_FORM, fields: [EMAIL, { name: 'c', field: 'company', required: 'yes' }] }, 'fields[1].required', /true or false, got string/],
    ['a required hidden field', { ...RAW_FORM, fields: [EMAIL, { name: 'utm', field: 'utmSource', required: true }] }, 'fields[1].required', /hidden field/],
    ['a utm_ input for another field', { ...RAW_FORM, fields: [EMAIL, { name: 'utm_source', field: 'company' }] }, 'fields[1].field', /utm_source is the hidden input that carries utmSource/],
    ['consent without text', { ...RAW_FORM, consent: {} }, 'consent.text', /consent text is required/],
    ['consent that is a string', { ...RAW_FORM, consent: 'I agree' }, 'consent', /expected \{ "text"/],
    ['consent named like a field', { ...RAW_FORM, consent: { text: 'ok', name: 'org' } }, 'consent.name', /also a form field/],
    ['an unknown consent setting', { ...RAW_FORM, consent: { text: 'ok', checked: true } }, 'consent.checked', /unknown setting/],
    ['a consent text too long', { ...RAW_FORM, consent: { text: 'x'.repeat(1001) } }, 'consent.text', /at most 1000 characters, got 1001 characters/],
    ['no origins', { ...RAW_FORM, allowedOrigins: [] }, 'allowedOrigins', /non-empty list/],
    ['an origin with a path', { ...RAW_FORM, allowedOrigins: ['https://example.com/contact'] }, 'allowedOrigins[0]', /not an origin/],
    ['an origin that is not a URL', { ...RAW_FORM, allowedOrigins: ['example.com'] }, 'allowedOrigins[0]', /not an origin/],
    ['a javascript: redirect', { ...RAW_FORM, redirectUrl: 'javascript:alert(1)' }, 'redirectUrl', /not an http or https URL/],
    ['a honeypot that is a mapped field', { ...RAW_FORM, honeypotField: 'name' }, 'honeypotField', /also a mapped field/],
  ])('rejects %s with INTAKE.INVALID_FORM naming the entry', (_case, raw, path, message) => {
    const thrown = thrownBy(() => validateFormDefinition(raw));
    expect(thrown).toBeInstanceOf(InvalidFormDefinitionError);
    expect(thrown).toMatchObject({ code: 'INTAKE.INVALID_FORM', path });
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('mapFormSubmission', () => {
  it('renames mapped fields, takes UTM hidden inputs, records consent, adds the form source and campaign, ignores the rest', () => {
    const submission = mapFormSubmission(
      { your_email: 'ada@example.com', org: 'Analytical Engines', name: 'Ada', website: '', utm_medium: 'cpc', consent: 'yes', submit: 'Send', csrf: 'abc', referrer: '' },
      form,
    );
    expect(submission).toEqual({
      kind: 'lead',
      input: { email: 'ada@example.com', company: 'Analytical Engines', firstName: 'Ada', utmMedium: 'cpc', referrer: '', source: 'website', campaign: 'always-on' },
      consent: { text: RAW_FORM.consent.text, given: true },
      problems: [],
      refererIsReferrer: false,
    });
    expect(submission.kind === 'lead' && validateLeadInput(submission.input).ok).toBe(true);
  });

  it('leaves posted external id inputs out of the lead: a form carries only the inputs it defines', () => {
    const submission = mapFormSubmission({ your_email: 'ada@example.com', externalIds: 'x', 'externalIds[salesforce]': '00Q5e00000AbCdE', 'externalIds.hubspot': '1' }, form);
    expect(submission.kind === 'lead' && Object.keys(submission.input)).toEqual(['email', 'source', 'campaign']);
    expect(submission.kind === 'lead' && validateLeadInput(submission.input)).toMatchObject({ ok: true, lead: { email: 'ada@example.com' } });
    expect(submission.kind === 'lead' && validateLeadInput(submission.input)).not.toHaveProperty('lead.externalIds');
  });

  it('fills website only from an input the form maps to it: a honeypot named website never reaches the lead', () => {
    expect(mapFormSubmission({ your_email: 'ada@gmail.com', website: '' }, form)).toMatchObject({ kind: 'lead', input: { email: 'ada@gmail.com' } });
    expect(mapFormSubmission({ your_email: 'ada@gmail.com', website: '' }, form)).not.toHaveProperty('input.website');
    expect(mapFormSubmission({ your_email: 'ada@gmail.com', website: 'acme.com' }, form)).toEqual({ kind: 'bot' });
    const withWebsite = validateFormDefinition({ ...RAW_FORM, fields: [...RAW_FORM.fields, { name: 'company_website', field: 'website' }] });
    const submission = mapFormSubmission({ your_email: 'ada@gmail.com', org: 'Acme', company_website: 'acme.com' }, withWebsite);
    expect(submission).toMatchObject({ kind: 'lead', input: { website: 'acme.com' } });
    expect(submission.kind === 'lead' && validateLeadInput(submission.input)).toMatchObject({ ok: true, lead: { website: 'acme.com' } });
  });

  it('reports required fields left empty and consent not given, by field', () => {
    const submission = mapFormSubmission({ your_email: 'ada@example.com', org: '  ' }, form);
    expect(submission).toMatchObject({
      kind: 'lead',
      consent: { given: false },
      problems: [
        { field: 'company', message: 'company is required by this form' },
        { field: 'consent', message: expect.stringMatching(/not ticked/) },
      ],
    });
  });

  it('reports an email input left empty as required by the form unless the form says it is not', () => {
    expect(mapFormSubmission({ your_email: ' ', org: 'Acme', consent: 'yes' }, form)).toMatchObject({ problems: [{ field: 'email', message: 'email is required by this form' }] });
    const optional = validateFormDefinition({ ...RAW_FORM, fields: [{ name: 'your_email', field: 'email', required: false }, { name: 'tel', field: 'phone' }] });
    expect(mapFormSubmission({ your_email: '', tel: '+44 20 7183 8750', consent: 'yes' }, optional)).toMatchObject({ problems: [] });
  });

  describe('a callback form without an email input', () => {
    const callback = validateFormDefinition({
      ...RAW_FORM,
      fields: [
        { name: 'name', field: 'firstName', label: 'Your name' },
        { name: 'tel', field: 'phone', label: 'Your number' },
      ],
      consent: undefined,
    });

    it('given a post with a phone, then its lead is accepted without email', () => {
      const submission = mapFormSubmission({ name: 'Ada', tel: '+44 20 7183 8750' }, callback);
      expect(submission).toMatchObject({ kind: 'lead', problems: [] });
      expect(submission.kind === 'lead' && validateLeadInput(submission.input)).toMatchObject({ ok: true, lead: { firstName: 'Ada', phone: '+44 20 7183 8750' } });
      expect(submission.kind === 'lead' && validateLeadInput(submission.input)).not.toHaveProperty('lead.email');
    });

    it('given a post with a name and no phone, then its lead is refused as naming no one', () => {
      const submission = mapFormSubmission({ name: 'Ada', tel: ' ' }, callback);
      expect(submission).toMatchObject({ kind: 'lead', problems: [] });
      expect(submission.kind === 'lead' && validateLeadInput(submission.input)).toEqual({
        ok: false,
        errors: [{ field: '', message: `${NAMES_NO_ONE} (a name alone is not enough: add the company or its website)` }],
      });
    });
  });

  it('takes the Referer header as landing page when the post names none (a page without script), and only then', () => {
    const page = 'https://www.example.com/webinar?utm_source=newsletter&utm_campaign=spring';
    const withoutScript = mapFormSubmission({ your_email: 'a@b.co', landing_page: '', referrer: '' }, form, { refererHeader: page });
    expect(withoutScript).toMatchObject({ input: { landingPage: page }, refererIsReferrer: false });
    const lead = withoutScript.kind === 'lead' ? validateLeadInput(withoutScript.input) : undefined;
    expect(lead?.ok && lead.attribution).toMatchObject({ landingPage: page, utmSource: 'newsletter', utmCampaign: 'spring' });
    const withScript = mapFormSubmission({ your_email: 'a@b.co', landing_page: 'https://www.example.com/a' }, form, { refererHeader: page });
    expect(withScript).toMatchObject({ input: { landingPage: 'https://www.example.com/a' }, refererIsReferrer: true });
    const tooLong = mapFormSubmission({ your_email: 'a@b.co' }, form, { refererHeader: `${page}&x=${'y'.repeat(100)}`, maxLandingPageLength: 100 });
    expect(tooLong.kind === 'lead' && tooLong.input['landingPage']).toBe(undefined);
  });

  it('keeps the source a post carries', () => {
    const withSource = validateFormDefinition({ ...RAW_FORM, fields: [...RAW_FORM.fields, { name: 'src', field: 'source' }] });
    expect(mapFormSubmission({ your_email: 'a@b.co', src: 'partner' }, withSource)).toMatchObject({ input: { source: 'partner' } });
  });

  it('calls a post with the honeypot filled a bot', () => {
    expect(mapFormSubmission({ your_email: 'bot@spam.example', website: 'http://spam.example' }, form)).toEqual({ kind: 'bot' });
  });

  it('does not read inherited properties as form fields', () => {
    const body = JSON.parse('{"__proto__":{"your_email":"x@y.co"}}');
    expect(mapFormSubmission(body, form)).toMatchObject({ kind: 'lead', input: { source: 'website', campaign: 'always-on' } });
    expect(mapFormSubmission(body, form)).not.toHaveProperty('input.email');
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
  const html = renderFormSnippet(form, 'https://leads.example.com/v1/forms/contact-us');
  const inputNames = (text: string): string[] => [...text.matchAll(/<input [^>]*name="([^"]+)"/g)].map((match) => match[1] as string);

  it('renders a plain form posting to the action URL', () => {
    expect(html).toContain('<form class="leadstream-form" method="post" action="https://leads.example.com/v1/forms/contact-us" accept-charset="utf-8"');
    expect(html).toContain('<button type="submit">Send</button>');
  });

  it('shows the fields in the order of the definition, then the hidden attribution inputs, consent and honeypot', () => {
    expect(inputNames(html)).toEqual([
      'org', 'your_email', 'name', 'utm', 'land',
      'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer', 'landing_page',
      'consent', 'website',
    ]);
  });

  it('labels each field as configured and marks the required ones', () => {
    expect(html).toContain('<label for="ls-contact-us-org">Your company<span class="leadstream-required" aria-hidden="true"> *</span></label>');
    expect(html).toContain('<input id="ls-contact-us-org" type="text" name="org" autocomplete="organization" required>');
    expect(html).toContain('<label for="ls-contact-us-your_email">Work email<span class="leadstream-required" aria-hidden="true"> *</span></label>');
    expect(html).toContain('<input id="ls-contact-us-your_email" type="email" name="your_email" autocomplete="email" required>');
    expect(html).toContain('<label for="ls-contact-us-name">First name</label>');
    expect(html).toContain('<input id="ls-contact-us-name" type="text" name="name" autocomplete="given-name">');
  });

  it('offers a website field as a text input browsers fill with a URL (type url would refuse acme.com)', () => {
    const withWebsite = validateFormDefinition({ ...RAW_FORM, fields: [...RAW_FORM.fields, { name: 'company_website', field: 'website' }] });
    const snippet = renderFormSnippet(withWebsite, 'https://leads.example.com/v1/forms/contact-us');
    expect(snippet).toContain('<label for="ls-contact-us-company_website">Website</label>');
    expect(snippet).toContain('<input id="ls-contact-us-company_website" type="text" name="company_website" autocomplete="url">');
  });

  it('marks the fields the intake rules require, even when the form does not', () => {
    const strict = renderFormSnippet(form, 'https://leads.example.com/f', { alsoRequired: ['email', 'firstName'] });
    expect(strict).toContain('<input id="ls-contact-us-name" type="text" name="name" autocomplete="given-name" required>');
  });

  it('carries the page\'s UTM parameters, landing page and referrer in hidden inputs filled by its script', () => {
    // the mapped utmSource input is filled from utm_source like the built-in ones
    expect(html).toContain('<input type="hidden" name="utm" value="" data-leadstream-fill="utm_source">');
    for (const parameter of ['utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer', 'landing_page']) {
      expect(html).toContain(`<input type="hidden" name="${parameter}" value="" data-leadstream-fill="${parameter}">`);
    }
    expect(html).toMatch(/<script>[\s\S]*URLSearchParams\(window\.location\.search\)[\s\S]*document\.referrer[\s\S]*<\/script>\n<\/form>/);
  });

  it('renders the consent checkbox with its text, required unless said otherwise', () => {
    expect(html).toContain(`<p><label><input type="checkbox" name="consent" value="yes" required> ${RAW_FORM.consent.text}<span class="leadstream-required"`);
    const optional = renderFormSnippet(validateFormDefinition({ ...RAW_FORM, consent: { text: 'Send me news', name: 'news', required: false } }), 'https://l.example/f');
    expect(optional).toContain('<p><label><input type="checkbox" name="news" value="yes"> Send me news</label></p>');
    const none = renderFormSnippet(validateFormDefinition({ ...RAW_FORM, consent: undefined }), 'https://l.example/f');
    expect(none).not.toContain('type="checkbox"');
  });

  it('hides the honeypot off-screen and out of the tab order', () => {
    expect(html).toMatch(/<div style="position:absolute;left:-10000px[^"]*" aria-hidden="true">\s*<label>Leave this field empty <input type="text" name="website" tabindex="-1"/);
  });

  it('escapes everything it writes into the page: labels, consent text, button, action URL', () => {
    const hostile = validateFormDefinition({
      ...RAW_FORM,
      fields: [{ name: 'e', field: 'email', label: 'E<script>alert(1)</script>"' }],
      consent: { text: 'I <b>agree</b> & "more"' },
      submitLabel: '</button><script>x()</script>',
    });
    const page = renderFormSnippet(hostile, 'https://x.example/"><script>alert(1)</script>');
    expect(page.match(/<script>/g)).toHaveLength(1); // the snippet's own
    expect(page).toContain('action="https://x.example/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).toContain('E&lt;script&gt;alert(1)&lt;/script&gt;&quot;');
    expect(page).toContain('I &lt;b&gt;agree&lt;/b&gt; &amp; &quot;more&quot;');
    expect(page).toContain('<button type="submit">&lt;/button&gt;&lt;script&gt;x()&lt;/script&gt;</button>');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
