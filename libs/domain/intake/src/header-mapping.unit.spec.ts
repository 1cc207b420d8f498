import { DEFAULT_COLUMN_ALIASES, columnKey, mapHeader, rowToFields, validateColumnAliases } from './header-mapping';
import { InvalidColumnAliasesError } from './intake-error';

describe('mapHeader', () => {
  it.each([
    ['E-mail', 'email'],
    ['Email Address', 'email'],
    ['email_address', 'email'],
    ['EMAIL', 'email'],
    ['First Name', 'firstName'],
    ['Given name', 'firstName'],
    ['first_name', 'firstName'],
    ['Last Name', 'lastName'],
    ['Surname', 'lastName'],
    ['Family name', 'lastName'],
    ['Company Name', 'company'],
    ['Organisation', 'company'],
    ['Organization', 'company'],
    ['Account', 'company'],
    ['Job Title', 'title'],
    ['Position', 'title'],
    ['Phone Number', 'phone'],
    ['Mobile', 'phone'],
    ['Tel', 'phone'],
    ['Country/Region', 'country'],
    ['Lead Source', 'source'],
    ['Campaign Name', 'campaign'],
    ['utm_source', 'utmSource'],
    ['UTM Medium', 'utmMedium'],
    ['utm_campaign', 'utmCampaign'],
    ['utm_term', 'utmTerm'],
    ['utm_content', 'utmContent'],
    ['Referrer', 'referrer'],
    ['Landing Page', 'landingPage'],
    ['  landing-page  ', 'landingPage'],
    ['Website', 'website'],
    ['Web Site', 'website'],
    ['Company Website', 'website'],
    ['URL', 'website'],
    ['Web', 'website'],
    ['Homepage', 'website'],
    ['Home page', 'website'],
    ['Company Domain', 'website'],
  ])('maps %p to %s', (header, field) => {
    expect(mapHeader([header]).columns).toEqual([field]);
  });

  it('lists unknown and duplicate columns, ignoring them, and the required fields no column fills', () => {
    const mapping = mapHeader(['Name', 'E-mail', '', 'Email Address', 'Company'], DEFAULT_COLUMN_ALIASES, ['email', 'phone']);
    expect(mapping).toEqual({
      columns: [null, 'email', null, null, 'company'],
      externalIds: [],
      invalid: [],
      unknown: ['Name', 'column 3'],
      duplicates: ['Email Address'],
      missingRequired: ['phone'],
      canNameSomeone: true,
    });
  });

  it('requires no column by default, and lists the required ones no column fills', () => {
    expect(mapHeader(['Phone Number']).missingRequired).toEqual([]);
    expect(mapHeader(['Phone Number'], DEFAULT_COLUMN_ALIASES, ['email']).missingRequired).toEqual(['email']);
  });

  describe('whether its columns can name someone', () => {
    it.each([
      ['an email column', ['E-mail', 'Notes']],
      ['a phone column', ['Mobile', 'Country']],
      ['an external id column', ['external_id.salesforce', 'Job Title']],
      ['a first name and a company column', ['First Name', 'Company Name']],
      ['a last name and a website column', ['Surname', 'Company Website']],
    ])('given a header with %s, then it can', (_case, header) => {
      expect(mapHeader(header).canNameSomeone).toBe(true);
    });

    it.each([
      ['only name columns', ['First Name', 'Last Name', 'Job Title']],
      ['only company columns', ['Company Name', 'Website']],
      ['a column named Name, which fills no field', ['Name', 'Company']],
      ['an external id column that names no system', ['external_id.Sales Force', 'First Name']],
      ['nothing but unknown columns', ['Notes', 'Favourite Colour']],
    ])('given a header with %s, then it cannot', (_case, header) => {
      expect(mapHeader(header).canNameSomeone).toBe(false);
    });
  });

  it('uses a configured alias table, where field names still match', () => {
    const aliases = validateColumnAliases({ email: ['Correo'], company: ['Empresa'] });
    expect(mapHeader(['Correo', 'Empresa', 'firstName', 'E-mail'], aliases).columns).toEqual(['email', 'company', 'firstName', null]);
  });
});

describe('mapHeader: external id columns', () => {
  it('maps external_id.<system> columns to their systems, lower-cased, and lists none of them as unknown', () => {
    const mapping = mapHeader(['Email', 'external_id.salesforce', 'External_ID.HubSpot ', 'externalIds.zoho-crm', 'Notes']);
    expect(mapping.columns).toEqual(['email', null, null, null, null]);
    expect(mapping.externalIds).toEqual([
      { index: 1, system: 'salesforce' },
      { index: 2, system: 'hubspot' },
      { index: 3, system: 'zoho-crm' },
    ]);
    expect(mapping.unknown).toEqual(['Notes']);
    expect(mapping.invalid).toEqual([]);
  });

  it('lists a column whose system is no system name as invalid, and a second column of one system as a duplicate', () => {
    const mapping = mapHeader(['Email', 'external_id.Sales Force', 'external_id.', 'external_id.crm', 'external_id.CRM']);
    expect(mapping.invalid).toEqual([
      { name: 'external_id.Sales Force', message: `"Sales Force" is not a system name: use 1-40 of a-z, 0-9, '_' or '-', starting with a letter or digit` },
      { name: 'external_id.', message: `"" is not a system name: use 1-40 of a-z, 0-9, '_' or '-', starting with a letter or digit` },
    ]);
    expect(mapping.externalIds).toEqual([{ index: 3, system: 'crm' }]);
    expect(mapping.duplicates).toEqual(['external_id.CRM']);
  });

  it('does not take a column named like a CRM id without the prefix for an external id', () => {
    const mapping = mapHeader(['Email', 'Salesforce ID', 'hubspot_id']);
    expect(mapping.externalIds).toEqual([]);
    expect(mapping.unknown).toEqual(['Salesforce ID', 'hubspot_id']);
  });

  it('gives a row its external id cells by system, blank ones included, and none for cells the row leaves out', () => {
    const mapping = mapHeader(['Email', 'external_id.salesforce', 'external_id.hubspot']);
    expect(rowToFields({ line: 2, fields: ['a@b.co', '00Q5e00000AbCdE', ''] }, mapping)).toEqual({
      ok: true,
      line: 2,
      fields: { email: 'a@b.co' },
      externalIds: { salesforce: '00Q5e00000AbCdE', hubspot: '' },
    });
    expect(rowToFields({ line: 3, fields: ['a@b.co'] }, mapping)).toEqual({ ok: true, line: 3, fields: { email: 'a@b.co' }, externalIds: {} });
  });
});

describe('columnKey', () => {
  it('ignores case, spaces, punctuation and accents', () => {
    expect(columnKey(' E-Mail_Address ')).toBe('emailaddress');
    expect(columnKey('Société')).toBe('societe');
  });
});

describe('validateColumnAliases', () => {
  it('accepts the default table', () => {
    expect(validateColumnAliases(DEFAULT_COLUMN_ALIASES)).toEqual(DEFAULT_COLUMN_ALIASES);
  });

  it.each([
    ['not an object', ['email'], '', /expected an object/],
    ['an unknown field', { mail: ['E-mail'] }, 'mail', /unknown field/],
    ['a __proto__ key', JSON.parse('{"__proto__": ["x"]}'), '__proto__', /unknown field/],
    ['a non-list', { email: 'E-mail' }, 'email', /expected a list/],
    ['a non-string alias', { email: ['E-mail', 7] }, 'email[1]', /expected a string, got number/],
    ['a blank alias', { email: ['E-mail', ' - '] }, 'email[1]', /no letters or digits/],
    ['an alias given to two fields', { email: ['Contact'], firstName: ['contact'] }, 'firstName[0]', /already names email/],
    ['an alias that is another field name', { company: ['Email'] }, 'company[0]', /already names email/],
    ['an alias that is an external id column', { company: ['external_id.salesforce'] }, 'company[0]', /is an external id column/],
  ])('rejects %s, naming the entry', (_case, raw, path, message) => {
    let thrown: unknown;
    try {
      validateColumnAliases(raw);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidColumnAliasesError);
    expect(thrown).toMatchObject({ code: 'INTAKE.INVALID_COLUMN_ALIASES', path });
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('rowToFields', () => {
  const mapping = mapHeader(['Email', 'Notes', 'Company']);

  it('gives the mapped fields of a row, leaving out ignored columns', () => {
    expect(rowToFields({ line: 4, fields: ['a@b.co', 'ignore me', 'Acme'] }, mapping)).toEqual({
      ok: true,
      line: 4,
      fields: { email: 'a@b.co', company: 'Acme' },
    });
  });

  it('reads a row that lacks trailing fields as if they were empty', () => {
    expect(rowToFields({ line: 7, fields: ['a@b.co'] }, mapping)).toEqual({ ok: true, line: 7, fields: { email: 'a@b.co' } });
    expect(rowToFields({ line: 8, fields: ['a@b.co', 'x'] }, mapping)).toEqual({ ok: true, line: 8, fields: { email: 'a@b.co' } });
  });

  it('rejects a row with extra values, naming the line and counts', () => {
    expect(rowToFields({ line: 9, fields: ['a@b.co', 'x', 'Acme', 'surprise', ''] }, mapping)).toEqual({
      ok: false,
      line: 9,
      errors: [{ field: 'columns', message: 'line 9 has 5 fields, the header has 3 (2 extra)' }],
    });
  });

  it('accepts blank extra fields from a trailing delimiter', () => {
    expect(rowToFields({ line: 2, fields: ['a@b.co', 'x', 'Acme', ''] }, mapping)).toMatchObject({ ok: true });
  });
});
