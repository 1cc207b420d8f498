import { NAMES_NO_ONE, newEdgeEvent, parseEvent, type LeadReceived } from '@leadstream/contracts';
import { scenarioFor } from '@leadstream/testing';
import { CONTRACT_MAX_LENGTH, DEFAULT_INTAKE_RULES, validateIntakeRules, type IntakeRules } from './intake-rules';
import { INTAKE_FIELD_NAMES } from './lead-field-names';
import { emailSyntaxProblem, isDisposableEmailDomain, isNamesNoOneError, phoneProblem, validateLeadInput, type LeadInputResult } from './validate-lead-input';

const rules = (overrides: Partial<IntakeRules> = {}): IntakeRules => ({ ...DEFAULT_INTAKE_RULES, ...overrides });

function errorsOf(input: unknown, withRules: IntakeRules = DEFAULT_INTAKE_RULES): { field: string; message: string }[] {
  const result = validateLeadInput(input, withRules);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result)}`);
  return result.errors;
}

describe('validateLeadInput', () => {
  it('accepts a lead, trimming values and dropping blank ones', () => {
    const result = validateLeadInput({ email: '  ada@example.com ', firstName: ' Ada ', company: '   ', phone: null, country: 'GB' });
    expect(result).toEqual({ ok: true, lead: { email: 'ada@example.com', firstName: 'Ada', country: 'GB' }, attribution: {} });
  });

  it('captures attribution, flat or nested, and carries it on the lead', () => {
    const result = validateLeadInput({
      email: 'ada@example.com',
      utmSource: 'newsletter',
      attribution: { utmMedium: 'email', referrer: 'https://news.example.org/' },
    });
    const attribution = { utmSource: 'newsletter', utmMedium: 'email', referrer: 'https://news.example.org/' };
    expect(result).toEqual({ ok: true, lead: { email: 'ada@example.com', attribution }, attribution });
  });

  it('takes UTM values from the landing page query string when the input has none', () => {
    const result = validateLeadInput({
      email: 'ada@example.com',
      utmSource: 'explicit',
      landingPage: 'https://example.com/pricing?utm_source=ignored&utm_medium=cpc&utm_campaign=spring%20sale&utm_term=crm#top',
    });
    expect(result.ok && result.attribution).toEqual({
      utmSource: 'explicit',
      utmMedium: 'cpc',
      utmCampaign: 'spring sale',
      utmTerm: 'crm',
      landingPage: 'https://example.com/pricing?utm_source=ignored&utm_medium=cpc&utm_campaign=spring%20sale&utm_term=crm#top',
    });
  });

  it('requires the fields the rules require', () => {
    expect(errorsOf({ email: 'ada@example.com', company: ' ' }, rules({ required: ['email', 'company'] }))).toEqual([
      { field: 'company', message: 'is required' },
    ]);
  });

  describe('a lead must name someone, not necessarily by email', () => {
    const { givenState } = scenarioFor<unknown, IntakeRules, LeadInputResult>({ initialState: DEFAULT_INTAKE_RULES, decide: validateLeadInput });
    const namesNoOne = (detail = ''): LeadInputResult => ({ ok: false, errors: [{ field: '', message: `${NAMES_NO_ONE}${detail}` }] });

    it('given the default rules, when a lead comes with a phone only, then it is accepted as it is, phone unparsed', () => {
      givenState(DEFAULT_INTAKE_RULES).when({ phone: ' call me on 0207 ' }).then({ ok: true, lead: { phone: 'call me on 0207' }, attribution: {} });
    });

    it('given the default rules, when a lead comes with an external id only, then it is accepted', () => {
      givenState(DEFAULT_INTAKE_RULES)
        .when({ externalIds: { Salesforce: '00Q5e00000AbCdE' }, title: 'CTO' })
        .then({ ok: true, lead: { title: 'CTO', externalIds: { salesforce: '00Q5e00000AbCdE' } }, attribution: {} });
    });

    it.each([
      ['a first name and a company', { firstName: 'Ada', company: 'Analytical Engines' }],
      ['a last name and a website', { lastName: 'Lovelace', website: 'engines.example' }],
    ])('given the default rules, when a lead comes with %s and no email, then it is accepted, and its event passes the contract', (_case, input) => {
      const result = givenState(DEFAULT_INTAKE_RULES).when(input).then({ ok: true, lead: input, attribution: {} });
      const event = newEdgeEvent<LeadReceived>({
        type: 'lead.received',
        data: { lead: (result as { lead: LeadReceived['data']['lead'] }).lead, channel: 'api' },
        eventId: '0b9f7a52-3f0e-4f5e-9c1a-6a7d2b8c9d01',
        leadId: '4c3a1d2e-5f6b-4a7c-8d9e-0f1a2b3c4d5e',
        occurredAt: '2026-03-01T10:00:00.000Z',
      });
      expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
    });

    it('given the default rules, when a lead comes with a name alone, then it is refused as naming no one, saying what it lacks', () => {
      const result = givenState(DEFAULT_INTAKE_RULES).when({ firstName: 'Ada', lastName: 'Lovelace', title: 'CTO' }).then(namesNoOne(' (a name alone is not enough: add the company or its website)'));
      expect(!result.ok && isNamesNoOneError(result.errors[0]!)).toBe(true);
    });

    it.each([
      ['nothing at all', {}, ''],
      ['a company alone', { company: 'Analytical Engines' }, " (a company alone is not enough: add the person's name)"],
      ['blank identifiers', { email: ' ', phone: '', externalIds: { salesforce: ' ' }, country: 'GB' }, ''],
    ])('given the default rules, when a lead comes with %s, then it is refused as naming no one', (_case, input, detail) => {
      givenState(DEFAULT_INTAKE_RULES).when(input).then(namesNoOne(detail));
    });

    it('given rules that ignore phones, when a lead comes with a phone only, then it is refused, saying the phone is ignored', () => {
      givenState(rules({ phone: 'ignore' })).when({ phone: '+44 20 7183 8750' }).then(namesNoOne(' (the intake rules ignore phone numbers)'));
    });

    it('given a lead whose only identifier is malformed, then it is told about that field alone', () => {
      givenState(DEFAULT_INTAKE_RULES).when({ email: 'ada-at-example' }).then({ ok: false, errors: [{ field: 'email', message: 'has no @' }] });
      givenState(DEFAULT_INTAKE_RULES).when({ phone: 4155550100 }).then({ ok: false, errors: [{ field: 'phone', message: 'must be a string, got number' }] });
      givenState(DEFAULT_INTAKE_RULES)
        .when({ externalIds: { salesforce: 12 } })
        .then({ ok: false, errors: [{ field: 'externalIds.salesforce', message: 'must be a string, got number (send ids as strings: "1234")' }] });
      givenState(rules({ phone: 'reject-invalid' })).when({ phone: 'call me' }).thenMatches({ ok: false, errors: [{ field: 'phone', message: expect.stringMatching(/digits/) }] });
    });

    it('given a name sent as a number and no company, then it is told both', () => {
      givenState(DEFAULT_INTAKE_RULES)
        .when({ firstName: 7 })
        .then({ ok: false, errors: [{ field: 'firstName', message: 'must be a string, got number' }, { field: '', message: `${NAMES_NO_ONE} (a name alone is not enough: add the company or its website)` }] });
    });

    it('given rules that require email, when a lead comes without one, then it is refused for the email, even with a phone', () => {
      const requireEmail = rules({ version: 'email-first', required: ['email'] });
      givenState(requireEmail).when({ phone: '+44 20 7183 8750' }).then({ ok: false, errors: [{ field: 'email', message: 'is required' }] });
      // Nothing else said: the missing email is what to add.
      givenState(requireEmail).when({ firstName: 'Ada' }).then({ ok: false, errors: [{ field: 'email', message: 'is required' }] });
      givenState(requireEmail).when({ email: 'ada@example.com' }).thenMatches({ ok: true });
    });

    it('given rules that reject disposable mailboxes, when a lead without email comes, then it is accepted; one with a disposable email is still refused', () => {
      const strict = rules({ rejectDisposableEmail: true });
      givenState(strict).when({ phone: '+1 617 555 0100' }).thenMatches({ ok: true, lead: { phone: '+1 617 555 0100' } });
      givenState(strict).when({ email: 'x@mailinator.com', phone: '+1 617 555 0100' }).then({ ok: false, errors: [{ field: 'email', message: 'uses a disposable mailbox domain (mailinator.com)' }] });
    });
  });

  it.each([
    ['a number', { email: 'a@b.co', phone: 4155550100 }, 'phone', 'must be a string, got number'],
    ['an object', { email: { address: 'a@b.co' } }, 'email', 'must be a string, got object'],
    ['an array', { email: 'a@b.co', company: ['Acme'] }, 'company', 'must be a string, got array'],
    ['a boolean', { email: 'a@b.co', title: true }, 'title', 'must be a string, got boolean'],
    ['a nested number', { email: 'a@b.co', attribution: { utmSource: 7 } }, 'attribution.utmSource', 'must be a string, got number'],
  ])('rejects %s, naming the field and the type', (_case, input, field, message) => {
    expect(errorsOf(input)).toContainEqual({ field, message });
  });

  it('rejects a body that is not an object', () => {
    expect(errorsOf([{ email: 'a@b.co' }])).toEqual([{ field: '(body)', message: 'expected an object of lead fields, got array' }]);
    expect(errorsOf('a@b.co')).toEqual([{ field: '(body)', message: 'expected an object of lead fields, got string' }]);
  });

  it('rejects __proto__, constructor and prototype keys without touching any prototype', () => {
    const input = JSON.parse('{"email":"a@b.co","__proto__":{"polluted":"yes"},"constructor":"x","attribution":{"prototype":"y"}}');
    expect(errorsOf(input)).toEqual([
      { field: '__proto__', message: 'is not allowed as a field name' },
      { field: 'constructor', message: 'is not allowed as a field name' },
      { field: 'attribution.prototype', message: 'is not allowed as a field name' },
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  describe('externalIds', () => {
    const SYSTEM_RULE = "is not a system name: use 1-40 of a-z, 0-9, '_' or '-', starting with a letter or digit";

    it('carries the ids by system, names trimmed and lower-cased, ids trimmed, blank and null ids dropped; the event passes the contract', () => {
      const result = validateLeadInput({
        email: 'ada@example.com',
        externalIds: { ' Salesforce ': ' 00Q5e00000AbCdE ', hubspot: '1234', marketo: '  ', pipedrive: null },
      });
      expect(result).toEqual({ ok: true, lead: { email: 'ada@example.com', externalIds: { salesforce: '00Q5e00000AbCdE', hubspot: '1234' } }, attribution: {} });
      if (!result.ok) return;
      const event = newEdgeEvent<LeadReceived>({
        type: 'lead.received',
        data: { lead: result.lead, channel: 'api' },
        eventId: '5f0c6c3e-3b5a-4c1e-9f3a-2b1c0d9e8f7a',
        leadId: '7d0c6c3e-3b5a-4c1e-9f3a-2b1c0d9e8f7a',
        occurredAt: '2026-12-07T10:00:00.000Z',
      });
      expect(() => parseEvent(JSON.parse(JSON.stringify(event)))).not.toThrow();
    });

    it('leaves externalIds off the lead when none is left, or it is null', () => {
      expect(validateLeadInput({ email: 'ada@example.com', externalIds: { salesforce: ' ' } })).toMatchObject({ ok: true, lead: { email: 'ada@example.com' } });
      expect(validateLeadInput({ email: 'ada@example.com', externalIds: {} })).toEqual({ ok: true, lead: { email: 'ada@example.com' }, attribution: {} });
      expect(validateLeadInput({ email: 'ada@example.com', externalIds: null })).toEqual({ ok: true, lead: { email: 'ada@example.com' }, attribution: {} });
    });

    it.each([
      ['a system name with a space', { 'Sales Force': 'x' }, 'externalIds.Sales Force', SYSTEM_RULE],
      ['a system name starting with _', { _crm: 'x' }, 'externalIds._crm', SYSTEM_RULE],
      ['a system name of 41 characters', { ['s'.repeat(41)]: 'x' }, `externalIds.${'s'.repeat(41)}`, SYSTEM_RULE],
      ['an empty system name', { '': 'x' }, 'externalIds.', SYSTEM_RULE],
      ['constructor as a system name', JSON.parse('{"constructor": "x"}'), 'externalIds.constructor', 'is not allowed as a system name'],
      ['__proto__ as a system name', JSON.parse('{"__proto__": "x"}'), 'externalIds.__proto__', 'is not allowed as a system name'],
      ['a number as the id', { hubspot: 1234 }, 'externalIds.hubspot', 'must be a string, got number (send ids as strings: "1234")'],
      ['an object as the id', { hubspot: { id: '1' } }, 'externalIds.hubspot', 'must be a string, got object'],
      ['an id of 201 characters', { salesforce: 'x'.repeat(201) }, 'externalIds.salesforce', 'is longer than 200 characters (got 201)'],
      ['a megabyte id', { salesforce: 'x'.repeat(1_048_576) }, 'externalIds.salesforce', 'is longer than 200 characters (got 1048576)'],
      ['two names of one system with different ids', { Salesforce: 'a', salesforce: 'b' }, 'externalIds.salesforce', 'names the same system as "Salesforce" with a different id'],
    ])('rejects %s, naming externalIds.<system>', (_case, externalIds, field, message) => {
      expect(errorsOf({ email: 'a@b.co', externalIds })).toEqual([{ field, message }]);
    });

    it.each([
      ['a string', 'sf:123', 'string'],
      ['an array', ['123'], 'array'],
      ['a number', 7, 'number'],
    ])('rejects %s for externalIds', (_case, externalIds, type) => {
      expect(errorsOf({ email: 'a@b.co', externalIds })).toEqual([
        { field: 'externalIds', message: `must be an object of system name -> id ({ "salesforce": "00Q..." }), got ${type}` },
      ]);
    });

    it('accepts ids of 10 systems and rejects 11, counting systems that have an id', () => {
      const ids = (count: number): Record<string, string> => Object.fromEntries(Array.from({ length: count }, (_, index) => [`crm${index}`, `id${index}`]));
      const ten = validateLeadInput({ email: 'a@b.co', externalIds: { ...ids(10), blank: ' ' } });
      expect(ten.ok && Object.keys(ten.lead.externalIds ?? {})).toHaveLength(10);
      expect(errorsOf({ email: 'a@b.co', externalIds: ids(11) })).toEqual([{ field: 'externalIds', message: 'at most 10 systems, got 11' }]);
    });

    it('accepts two names of one system with the same id once', () => {
      expect(validateLeadInput({ email: 'a@b.co', externalIds: { HubSpot: '1', hubspot: ' 1 ' } })).toMatchObject({ ok: true, lead: { externalIds: { hubspot: '1' } } });
    });

    it('reports a bad external id beside the other problems of the lead', () => {
      expect(errorsOf({ email: 'no-at', externalIds: { 'Sales Force': 'x' } })).toEqual([
        { field: 'externalIds.Sales Force', message: SYSTEM_RULE },
        { field: 'email', message: 'has no @' },
      ]);
    });
  });

  it('rejects unknown fields by name', () => {
    const errors = errorsOf({ email: 'a@b.co', favouriteColour: 'blue' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: 'favouriteColour' });
    expect(errors[0]?.message).toMatch(/^is not a known field; allowed: email, firstName, .*landingPage, attribution, externalIds$/);
  });

  it('names a megabyte-long unknown key by its first 64 characters', () => {
    const key = 'k'.repeat(1_048_576);
    const errors = errorsOf({ email: 'a@b.co', [key]: 'x' });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.field).toBe(`${'k'.repeat(64)}...`);
    expect(errors[0]?.message.length).toBeLessThan(400);
  });

  it('rejects megabyte strings with the limit and the length received', () => {
    const megabyte = 'x'.repeat(1_048_576);
    expect(errorsOf({ email: 'a@b.co', company: megabyte })).toEqual([
      { field: 'company', message: 'is longer than 200 characters (got 1048576)' },
    ]);
    expect(errorsOf({ email: 'a@b.co', firstName: 'y'.repeat(101) })).toEqual([
      { field: 'firstName', message: 'is longer than 100 characters (got 101)' },
    ]);
  });

  it('takes a website as written (trimmed), a host name or an http(s) URL', () => {
    expect(validateLeadInput({ email: 'ada@gmail.com', website: ' acme.com ' })).toEqual({ ok: true, lead: { email: 'ada@gmail.com', website: 'acme.com' }, attribution: {} });
    expect(validateLeadInput({ email: 'ada@gmail.com', website: 'https://www.acme.com/about' })).toMatchObject({ ok: true, lead: { website: 'https://www.acme.com/about' } });
    expect(validateLeadInput({ email: 'ada@gmail.com', website: '  ' })).toEqual({ ok: true, lead: { email: 'ada@gmail.com' }, attribution: {} });
  });

  it.each([
    ['a space', 'acme .com', /^must not contain spaces/],
    ['another scheme', 'ftp://acme.com', /^must be an http or https address, not ftp:$/],
    ['no host name', 'not a website', /^must not contain spaces/],
    ['a word without a dot', 'none', /^has the host "none", which is not a domain name/],
    ['more than 2048 characters', `acme.com/${'a'.repeat(2040)}`, /^is longer than 2048 characters \(got 2049\)$/],
    ['a number', 42, /^must be a string, got number$/],
  ])('refuses a website with %s, naming the field', (_name, website, message) => {
    const errors = errorsOf({ email: 'ada@gmail.com', website });
    expect(errors).toEqual([{ field: 'website', message: expect.stringMatching(message) }]);
  });

  it('uses the configured length limits', () => {
    const strict = validateIntakeRules({ ...DEFAULT_INTAKE_RULES, maxLength: { company: 5 } });
    expect(errorsOf({ email: 'a@b.co', company: 'Acme Corp' }, strict)).toEqual([
      { field: 'company', message: 'is longer than 5 characters (got 9)' },
    ]);
  });

  it('accepts only leads the lead.received contract carries, even at the longest configurable lengths', () => {
    const loosest = validateIntakeRules({ ...DEFAULT_INTAKE_RULES, maxLength: CONTRACT_MAX_LENGTH });
    const input: Record<string, string> = {};
    for (const field of INTAKE_FIELD_NAMES) input[field] = 'v'.repeat(CONTRACT_MAX_LENGTH[field]);
    input['website'] = `acme.com/${'v'.repeat(CONTRACT_MAX_LENGTH.website - 'acme.com/'.length)}`;
    input['email'] = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
    expect(input['email']).toHaveLength(254);
    const result = validateLeadInput(input, loosest);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const event = newEdgeEvent<LeadReceived>({
      type: 'lead.received',
      data: { lead: result.lead, channel: 'csv' },
      eventId: '0b7c3a52-8a1f-4c1e-9d2b-5f6a7e8c9d01',
      leadId: '0b7c3a52-8a1f-4c1e-9d2b-5f6a7e8c9d02',
      occurredAt: '2026-11-23T14:00:00.000Z',
    });
    expect(() => parseEvent(JSON.parse(JSON.stringify(event)))).not.toThrow();
    expect(result.lead.attribution?.landingPage).toHaveLength(2048);
    expect(result.lead.website).toHaveLength(2048);
  });

  it('reports every problem at once', () => {
    expect(errorsOf({ email: 'not-an-email', phone: 12, extra: 'x' }).map((e) => e.field)).toEqual(['phone', 'extra', 'email']);
  });

  describe('email syntax', () => {
    it.each(['ada@example.com', 'ada.lovelace+crm@mail.example.co.uk', 'ivan@пример.рф', 'ivan@xn--e1afmkfd.xn--p1ai', "o'brien@example.ie", 'zoë@exämple.de', 'A@B.IO'])('accepts %p', (email) => {
      expect(emailSyntaxProblem(email)).toBeUndefined();
      expect(validateLeadInput({ email }).ok).toBe(true);
    });

    it.each([
      ['ada.example.com', 'has no @'],
      ['ada@@example.com', 'has more than one @'],
      ['a@b@example.com', 'has more than one @'],
      ['@example.com', 'has nothing before the @'],
      ['ada@', 'has no domain after the @'],
      ['ada@localhost', 'has the domain "localhost", which has no dot'],
      ['ada lovelace@example.com', 'has spaces or characters not allowed before the @'],
      ['ada@exa mple.com', 'has the domain "exa mple.com", which is not a valid domain name'],
      ['ada@example..com', 'has the domain "example..com", which is not a valid domain name'],
      ['ada@example.c0m', 'has the domain "example.c0m", which has no valid top-level domain'],
      [`${'a'.repeat(65)}@example.com`, 'has more than 64 characters before the @'],
    ])('rejects %p', (email, message) => {
      expect(errorsOf({ email })).toEqual([{ field: 'email', message }]);
    });

    it('rejects an address over 254 characters', () => {
      const email = `${'a'.repeat(60)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(20)}.com`;
      expect(email.length).toBeGreaterThan(254);
      expect(errorsOf({ email })).toEqual([{ field: 'email', message: `is longer than 254 characters (got ${email.length})` }]);
    });
  });

  describe('disposable email domains', () => {
    it('are accepted unless the rules reject them', () => {
      expect(validateLeadInput({ email: 'x@mailinator.com' }).ok).toBe(true);
    });

    it('are rejected, with subdomains and configured extras, when the rules say so', () => {
      const strict = rules({ rejectDisposableEmail: true, disposableDomains: ['throwaway.example'] });
      expect(errorsOf({ email: 'x@Mailinator.com' }, strict)).toEqual([
        { field: 'email', message: 'uses a disposable mailbox domain (mailinator.com)' },
      ]);
      expect(errorsOf({ email: 'x@eu.yopmail.com' }, strict)[0]?.message).toMatch(/disposable/);
      expect(errorsOf({ email: 'x@throwaway.example' }, strict)[0]?.message).toMatch(/disposable/);
      expect(validateLeadInput({ email: 'x@example.com' }, strict).ok).toBe(true);
    });

    it('are matched on whole labels only', () => {
      expect(isDisposableEmailDomain('notmailinator.com')).toBe(false);
      expect(isDisposableEmailDomain('mailinator.com.evil.example')).toBe(false);
      expect(isDisposableEmailDomain('a.b.guerrillamail.com')).toBe(true);
    });
  });

  describe('phone policy', () => {
    it('keeps what was typed with keep-raw', () => {
      expect(validateLeadInput({ email: 'a@b.co', phone: ' call me ' })).toMatchObject({ ok: true, lead: { phone: 'call me' } });
    });

    it('drops the phone with ignore', () => {
      const result = validateLeadInput({ email: 'a@b.co', phone: '+44 20 7183 8750' }, rules({ phone: 'ignore' }));
      expect(result).toEqual({ ok: true, lead: { email: 'a@b.co' }, attribution: {} });
    });

    it('rejects a number that cannot be one with reject-invalid, keeping good ones as typed', () => {
      const strict = rules({ phone: 'reject-invalid' });
      expect(errorsOf({ email: 'a@b.co', phone: 'call me' }, strict)).toEqual([
        { field: 'phone', message: 'may contain only digits, spaces, + ( ) - . / and an extension' },
      ]);
      expect(validateLeadInput({ email: 'a@b.co', phone: '+44 (20) 7183-8750 ext. 12' }, strict)).toMatchObject({
        ok: true,
        lead: { phone: '+44 (20) 7183-8750 ext. 12' },
      });
    });

    it.each([
      ['+1 (415) 555-0132', undefined],
      ['0049 30 1234567', undefined],
      ['030/1234567', undefined],
      ['020 7183 8750 x204', undefined],
      ['+49 301', /not a valid international number/],
      ['+0 415 555 0132', /not a valid international number/],
      ['+1 234 567 890 123 456 7', /not a valid international number/],
      ['12345', /has 5 digits/],
      ['555-CALL-NOW', /only digits/],
      ['415+555', /only digits/],
    ])('phoneProblem(%p)', (phone, expected) => {
      const problem = phoneProblem(phone);
      if (expected === undefined) expect(problem).toBeUndefined();
      else expect(problem).toMatch(expected);
    });
  });
});
