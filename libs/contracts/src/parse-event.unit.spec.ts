import { ContractViolation } from './errors';
import type { LeadstreamEvent } from './events';
import { isIsoTimestamp, parseEvent } from './parse-event';

const EVENT_ID = '11111111-1111-4111-8111-111111111111';
const LEAD_ID = '22222222-2222-4222-8222-222222222222';
const CAUSE_ID = '44444444-4444-4444-8444-444444444444';
const MASTER_ID = '33333333-3333-4333-8333-333333333333';
const AT = '2026-03-01T10:00:00.000Z';

const enrichedLead = {
  email: 'ada@example.com',
  emailDomain: 'example.com',
  isFreeEmail: false,
  companyDomain: 'example.com',
  company: 'Example Ltd',
  companyKey: 'example',
  phone: '+442071838750',
  phoneAsTyped: '+44 (0)20 7183 8750',
  country: 'GB',
  isDisposableEmail: false,
  honorific: 'Dr',
  nameSuffix: 'PhD',
  seniority: 'director',
  department: 'engineering',
};

const metadata = { eventId: EVENT_ID, leadId: LEAD_ID, occurredAt: AT, correlationId: CAUSE_ID, causationId: CAUSE_ID };

const VALID: Record<LeadstreamEvent['type'], object> = {
  'lead.received': {
    lead: { email: ' Ada@Example.com', firstName: 'Ada', country: 'United Kingdom', attribution: { utmSource: 'newsletter', landingPage: 'https://example.com/?utm_source=newsletter' } },
    channel: 'csv',
    importId: 'imp-1',
    line: 12,
  },
  'lead.rejected': { reasons: [{ field: 'email', message: 'email is required' }], channel: 'csv', line: 17, source: 'import.csv' },
  'lead.enriched': { lead: enrichedLead },
  'lead.resolved': {
    outcome: 'merged',
    masterLeadId: MASTER_ID,
    matchedOn: 'email',
    lead: { ...enrichedLead, accountId: CAUSE_ID, externalIds: { salesforce: '00Q5e00000AbCdE' } },
    clusterLeadIds: [MASTER_ID, LEAD_ID],
    provenance: { firstName: LEAD_ID, email: MASTER_ID },
    match: { ruleSetVersion: '1', matchedLeadId: MASTER_ID, score: 0.97, on: ['name', 'company'], features: [{ name: 'lastName', similarity: 1, weight: 0.3, left: 'Lovelace', right: 'Lovelace' }] },
    reviewPairs: [{ pairId: EVENT_ID, leadId: CAUSE_ID, score: 0.7 }],
  },
  'lead.merged': {
    survivorLeadId: LEAD_ID,
    mergedLeadIds: [MASTER_ID],
    clusterLeadIds: [LEAD_ID, MASTER_ID],
    lead: enrichedLead,
    provenance: { email: LEAD_ID, phone: MASTER_ID },
    decision: { by: 'review', ruleSetVersion: '1', score: 0.8, reviewPairId: EVENT_ID, requestedBy: 'ops' },
  },
  'lead.unmerged': { formerSurvivorLeadId: MASTER_ID, lead: enrichedLead, survivorLead: enrichedLead, clusterLeadIds: [MASTER_ID], provenance: { email: MASTER_ID }, requestedBy: 'ops' },
  'lead.merge-requested': { leadIds: [LEAD_ID, MASTER_ID], requestedBy: 'ops' },
  'lead.unmerge-requested': { requestedBy: 'ops' },
  'lead.scored': { score: 55, grade: 'B', ruleSetVersion: 'demo-1', reasons: [{ rule: 'senior-title', points: 20 }], lead: enrichedLead },
  'lead.qualified': { stage: 'MQL', score: 55, ruleSetVersion: 'demo-1' },
  'lead.assigned': { assignee: { kind: 'queue', queueId: 'nurture' }, rule: 'below-min-grade', score: 10, grade: 'D' },
  'activity.recorded': { kind: 'page_visited', at: '2026-03-01T11:00:00+01:00', url: 'https://example.com/pricing', detail: { utm: 'x' } },
  'nurture.enrolled': { sequenceId: 'welcome', queueId: 'nurture' },
};

function event(type: keyof typeof VALID, data: object = VALID[type]): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ type, version: 1, data, metadata }));
}

function violation(raw: unknown): ContractViolation {
  try {
    parseEvent(raw);
  } catch (error) {
    if (error instanceof ContractViolation) return error;
    throw error;
  }
  throw new Error('parseEvent accepted the event');
}

describe('parseEvent accepts well-formed events', () => {
  it.each(Object.keys(VALID) as (keyof typeof VALID)[])('%s', (type) => {
    const raw = event(type);
    expect(parseEvent(raw)).toEqual(raw);
  });

  it('an enriched lead from before the normalisation fields (no isDisposableEmail, seniority, ...) is still accepted', () => {
    const { phoneAsTyped: _a, isDisposableEmail: _b, honorific: _c, nameSuffix: _d, seniority: _e, department: _f, ...older } = enrichedLead;
    expect(() => parseEvent(event('lead.enriched', { lead: older }))).not.toThrow();
  });

  it('an enriched lead with firmographics, a territory and the enrichment report is accepted', () => {
    const lead = {
      ...enrichedLead,
      firmographics: { domain: 'acme.example', companyName: 'Acme', industry: 'Retail', employeeCount: 120, annualRevenue: 9_000_000, country: 'US' },
      territory: 'north-america-east',
      enrichment: { firmographics: 'found', source: 'reference-dataset', matchedBy: 'domain', missing: ['parentDomain'], failures: [{ provider: 'vendor', reason: 'timeout' }], territoryTable: 'default-1' },
    };
    expect(() => parseEvent(event('lead.enriched', { lead }))).not.toThrow();
  });

  it('a lead with a website of up to 2048 characters, as submitted and as enriched, is accepted', () => {
    const website = `https://www.acme.example/${'a'.repeat(2048 - 'https://www.acme.example/'.length)}`;
    expect(() => parseEvent(event('lead.received', { lead: { email: 'a@b.co', website }, channel: 'api' }))).not.toThrow();
    expect(() => parseEvent(event('lead.enriched', { lead: { ...enrichedLead, website: 'https://acme.example/' } }))).not.toThrow();
  });

  it.each([
    ['a phone', { phone: '+44 20 7946 0000' }],
    ['an external id', { externalIds: { salesforce: '00Q5e00000AbCdE' } }],
    ['a name with a company', { firstName: 'Ada', company: 'Analytical Engines' }],
    ['a family name with a website', { lastName: 'Lovelace', website: 'engines.example' }],
  ])('accepts a lead without email that names someone by %s, as submitted and as enriched', (_name, lead) => {
    expect(() => parseEvent(event('lead.received', { lead, channel: 'csv', line: 2 }))).not.toThrow();
    expect(() => parseEvent(event('lead.enriched', { lead }))).not.toThrow();
  });

  it('accepts score reasons that say what earned the points, and a qualification by a person', () => {
    const reasons = [
      { rule: 'vp-in-target-country', points: 20, kind: 'fit', fields: { seniority: 'vp', country: 'US', employeeCount: 250, isFreeEmail: false, title: null } },
      { rule: 'pricing-page', points: 7.5, kind: 'engagement', activityIds: [LEAD_ID], activityCount: 3, uncapped: 15 },
    ];
    expect(() => parseEvent(event('lead.scored', { ...VALID['lead.scored'], reasons }))).not.toThrow();
    expect(() => parseEvent(event('lead.qualified', { ...VALID['lead.qualified'], stage: 'SQL', by: 'qualification' }))).not.toThrow();
    expect(() => parseEvent(event('activity.recorded', { kind: 'unsubscribed', at: AT }))).not.toThrow();
  });

  it('reads raw JSON text and bytes as a consumer receives them', () => {
    const raw = event('lead.qualified');
    expect(parseEvent(JSON.stringify(raw))).toEqual(raw);
    expect(parseEvent(Buffer.from(JSON.stringify(raw)))).toEqual(raw);
  });

  it('accepts an edge event without a cause and tolerates fields it does not know', () => {
    const raw = { ...event('lead.received'), metadata: { ...metadata, causationId: null }, extra: 1 };
    expect(parseEvent(raw)).toEqual(raw);
  });
});

describe('parseEvent rejects malformed events, naming the field', () => {
  const cases: [string, () => unknown, string, RegExp][] = [
    ['not an object', () => 'null', '', /event must be an object, got null/],
    ['invalid JSON', () => '{"type":', '', /not valid JSON/],
    ['unknown type', () => ({ ...event('lead.received'), type: 'lead.exploded' }), 'type', /known event type.*"lead.exploded"/],
    ['missing type', () => ({ ...event('lead.received'), type: undefined }), 'type', /type is required/],
    ['version 0', () => ({ ...event('lead.received'), version: 0 }), 'version', /integer >= 1/],
    ['fractional version', () => ({ ...event('lead.received'), version: 1.5 }), 'version', /integer >= 1/],
    ['version from the future', () => ({ ...event('lead.received'), version: 2 }), 'version', /newer than this build/],
    ['no metadata', () => ({ ...event('lead.received'), metadata: undefined }), 'metadata', /metadata must be an object, got nothing/],
    ['event id not a uuid', () => ({ ...event('lead.received'), metadata: { ...metadata, eventId: 'abc' } }), 'metadata.eventId', /UUID.*"abc"/],
    ['upper-case lead id', () => ({ ...event('lead.received'), metadata: { ...metadata, leadId: LEAD_ID.replace(/2/g, 'A') } }), 'metadata.leadId', /lower-case UUID/],
    ['local time', () => ({ ...event('lead.received'), metadata: { ...metadata, occurredAt: '2026-03-01T10:00:00' } }), 'metadata.occurredAt', /ISO-8601 UTC/],
    ['impossible date', () => ({ ...event('lead.received'), metadata: { ...metadata, occurredAt: '2026-02-30T10:00:00Z' } }), 'metadata.occurredAt', /ISO-8601/],
    ['missing causation', () => ({ ...event('lead.received'), metadata: { ...metadata, causationId: undefined } }), 'metadata.causationId', /null for edge events/],
    ['a lead naming no one', () => event('lead.received', { lead: { firstName: 'Ada', title: 'CTO' }, channel: 'api' }), 'data.lead', /names no one: give an email, a phone, an external id, or a name with a company/],
    ['a lead with only blank identifiers', () => event('lead.received', { lead: { phone: ' ', lastName: 'Lovelace', externalIds: {} }, channel: 'api' }), 'data.lead', /names no one/],
    ['an enriched lead without email but with its domain', () => event('lead.enriched', { lead: { phone: '+442079460000', emailDomain: 'example.com' } }), 'data.lead.emailDomain', /absent when the lead has no email/],
    ['email not a string', () => event('lead.received', { lead: { email: 42 }, channel: 'api' }), 'data.lead.email', /must be a string when present, got the number 42/],
    ['email without @', () => event('lead.received', { lead: { email: 'ada' }, channel: 'api' }), 'data.lead.email', /email address/],
    ['null optional field', () => event('lead.received', { lead: { email: 'a@b.c', title: null }, channel: 'api' }), 'data.lead.title', /string when present, got null/],
    ['attribution not an object', () => event('lead.received', { lead: { email: 'a@b.c', attribution: 'google' }, channel: 'api' }), 'data.lead.attribution', /must be an object, got the string/],
    ['utm value not text', () => event('lead.received', { lead: { email: 'a@b.c', attribution: { utmSource: 7 } }, channel: 'api' }), 'data.lead.attribution.utmSource', /string when present, got the number 7/],
    ['consent not an object', () => event('lead.received', { lead: { email: 'a@b.c' }, channel: 'form', consent: 'yes' }), 'data.consent', /must be an object/],
    ['consent without given', () => event('lead.received', { lead: { email: 'a@b.c' }, channel: 'form', consent: { text: 'I agree' } }), 'data.consent.given', /required|boolean/],
    ['received line 0', () => event('lead.received', { lead: { email: 'a@b.c' }, channel: 'csv', line: 0 }), 'data.line', /integer >= 1/],
    ['activity email not text', () => event('activity.recorded', { kind: 'email_opened', at: AT, email: 5 }), 'data.email', /string when present/],
    ['unknown channel', () => event('lead.received', { lead: { email: 'a@b.c' }, channel: 'fax' }), 'data.channel', /'api', 'batch', 'form', 'csv'/],
    ['enriched email not normalised', () => event('lead.enriched', { lead: { ...enrichedLead, email: 'Ada@example.com' } }), 'data.lead.email', /lower-case/],
    ['enriched country not alpha-2', () => event('lead.enriched', { lead: { ...enrichedLead, country: 'Germany' } }), 'data.lead.country', /alpha-2/],
    ['isFreeEmail missing', () => event('lead.enriched', { lead: { ...enrichedLead, isFreeEmail: undefined } }), 'data.lead.isFreeEmail', /required/],
    ['isDisposableEmail not a boolean', () => event('lead.enriched', { lead: { ...enrichedLead, isDisposableEmail: 'no' } }), 'data.lead.isDisposableEmail', /true or false when present, got the string "no"/],
    ['phoneUnparseable not a boolean', () => event('lead.enriched', { lead: { ...enrichedLead, phoneUnparseable: 1 } }), 'data.lead.phoneUnparseable', /true or false when present/],
    ['phoneAsTyped not text', () => event('lead.enriched', { lead: { ...enrichedLead, phoneAsTyped: 442071838750 } }), 'data.lead.phoneAsTyped', /string when present/],
    ['honorific too long', () => event('lead.enriched', { lead: { ...enrichedLead, honorific: 'D'.repeat(1001) } }), 'data.lead.honorific', /at most 1000 characters/],
    ['unknown seniority', () => event('lead.enriched', { lead: { ...enrichedLead, seniority: 'boss' } }), 'data.lead.seniority', /'c-level', 'vp', 'director', 'manager', 'individual-contributor'/],
    ['firmographics without a domain', () => event('lead.enriched', { lead: { ...enrichedLead, firmographics: { industry: 'Retail' } } }), 'data.lead.firmographics.domain', /required/],
    ['negative employee count', () => event('lead.enriched', { lead: { ...enrichedLead, firmographics: { domain: 'a.example', employeeCount: -3 } } }), 'data.lead.firmographics.employeeCount', /number >= 0/],
    ['unknown firmographics outcome', () => event('lead.enriched', { lead: { ...enrichedLead, enrichment: { firmographics: 'maybe' } } }), 'data.lead.enrichment.firmographics', /'found', 'not-found', 'failed', 'skipped'/],
    ['a failure without its reason', () => event('lead.enriched', { lead: { ...enrichedLead, enrichment: { firmographics: 'failed', failures: [{ provider: 'vendor' }] } } }), 'data.lead.enrichment.failures[0].reason', /required/],
    ['unknown department', () => event('lead.scored', { ...VALID['lead.scored'], lead: { ...enrichedLead, department: 'space' } }), 'data.lead.department', /'sales', 'marketing'.*'other'/],
    ['new lead not its own master', () => event('lead.resolved', { ...VALID['lead.resolved'], outcome: 'new' }), 'data.masterLeadId', /equal metadata.leadId/],
    ['score NaN-like', () => event('lead.scored', { ...VALID['lead.scored'], score: '55' }), 'data.score', /finite number/],
    ['unknown grade', () => event('lead.scored', { ...VALID['lead.scored'], grade: 'E' }), 'data.grade', /'A', 'B', 'C', 'D'/],
    ['reason without points', () => event('lead.scored', { ...VALID['lead.scored'], reasons: [{ rule: 'x' }] }), 'data.reasons[0].points', /required/],
    ['reason of an unknown kind', () => event('lead.scored', { ...VALID['lead.scored'], reasons: [{ rule: 'x', points: 1, kind: 'luck' }] }), 'data.reasons[0].kind', /'fit', 'engagement'/],
    ['reason field value an object', () => event('lead.scored', { ...VALID['lead.scored'], reasons: [{ rule: 'x', points: 1, fields: { title: { a: 1 } } }] }), 'data.reasons[0].fields.title', /text, a number, true\/false or null/],
    ['reason activity id not a uuid', () => event('lead.scored', { ...VALID['lead.scored'], reasons: [{ rule: 'x', points: 1, activityIds: ['a1'] }] }), 'data.reasons[0].activityIds[0]', /activity event id/],
    ['qualified by an unknown means', () => event('lead.qualified', { ...VALID['lead.qualified'], by: 'magic' }), 'data.by', /'score', 'qualification'/],
    ['rejection without reasons', () => event('lead.rejected', { reasons: [], channel: 'csv' }), 'data.reasons', /at least one reason/],
    ['rejection line 0', () => event('lead.rejected', { ...VALID['lead.rejected'], line: 0 }), 'data.line', /integer >= 1/],
    ['rep without id', () => event('lead.assigned', { ...VALID['lead.assigned'], assignee: { kind: 'rep', queueId: 'q' } }), 'data.assignee.repId', /required/],
    ['unknown assignee kind', () => event('lead.assigned', { ...VALID['lead.assigned'], assignee: { kind: 'bot' } }), 'data.assignee.kind', /'rep', 'queue'/],
    ['merge naming its survivor as merged', () => event('lead.merged', { ...VALID['lead.merged'], mergedLeadIds: [LEAD_ID] }), 'data.mergedLeadIds', /must not name the surviving lead/],
    ['merge survivor not the event lead', () => event('lead.merged', { ...VALID['lead.merged'], survivorLeadId: MASTER_ID }), 'data.survivorLeadId', /equal metadata.leadId/],
    ['merge decided by nobody known', () => event('lead.merged', { ...VALID['lead.merged'], decision: { by: 'robot', ruleSetVersion: '1' } }), 'data.decision.by', /'auto', 'review', 'manual'/],
    ['provenance naming no lead', () => event('lead.merged', { ...VALID['lead.merged'], provenance: { email: 'me' } }), 'data.provenance.email', /UUID/],
    ['unmerge from itself', () => event('lead.unmerged', { ...VALID['lead.unmerged'], formerSurvivorLeadId: LEAD_ID }), 'data.formerSurvivorLeadId', /another lead/],
    ['merge request of one lead', () => event('lead.merge-requested', { leadIds: [LEAD_ID], requestedBy: 'ops' }), 'data.leadIds', /at least 2/],
    ['merge request of a lead twice', () => event('lead.merge-requested', { leadIds: [LEAD_ID, LEAD_ID], requestedBy: 'ops' }), 'data.leadIds', /twice/],
    ['external id system with spaces', () => event('lead.received', { ...VALID['lead.received'], lead: { email: 'a@b.co', externalIds: { 'Sales Force': 'x' } } }), 'data.lead.externalIds.Sales Force', /system name/],
    ['blank external id', () => event('lead.received', { ...VALID['lead.received'], lead: { email: 'a@b.co', externalIds: { hubspot: ' ' } } }), 'data.lead.externalIds.hubspot', /empty/],
    ['website not a string', () => event('lead.received', { lead: { email: 'a@b.co', website: ['acme.com'] }, channel: 'api' }), 'data.lead.website', /string when present, got/],
    ['website over 2048 characters', () => event('lead.received', { lead: { email: 'a@b.co', website: `acme.com/${'a'.repeat(2040)}` }, channel: 'api' }), 'data.lead.website', /at most 2048 characters, got 2049/],
    ['enriched website over 2048 characters', () => event('lead.enriched', { lead: { ...enrichedLead, website: 'w'.repeat(2049) } }), 'data.lead.website', /at most 2048 characters/],
    ['account id not a uuid', () => event('lead.enriched', { lead: { ...enrichedLead, accountId: 'acme' } }), 'data.lead.accountId', /UUID/],
    ['unknown stage', () => event('lead.qualified', { ...VALID['lead.qualified'], stage: 'PQL' }), 'data.stage', /'MQL', 'SQL'/],
    ['unknown activity', () => event('activity.recorded', { kind: 'tweeted', at: AT }), 'data.kind', /email_opened/],
    ['detail value not text', () => event('activity.recorded', { kind: 'email_opened', at: AT, detail: { n: 1 } }), 'data.detail.n', /string/],
    ['empty sequence id', () => event('nurture.enrolled', { sequenceId: ' ', queueId: 'q' }), 'data.sequenceId', /must not be empty/],
    ['data is an array', () => ({ ...event('nurture.enrolled'), data: [] }), 'data', /data must be an object, got an array/],
  ];

  it.each(cases)('%s', (_name, build, path, message) => {
    const error = violation(build());
    expect(error.code).toBe('CONTRACT.INVALID_EVENT');
    expect(error.kind).toBe('permanent');
    expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('rejects a %s key anywhere, even deep in the payload', (key) => {
    const json = JSON.stringify(event('lead.received')).replace('"firstName"', `"${key}"`);
    const error = violation(json);
    expect(error.path).toBe(`data.lead.${key}`);
    expect(error.message).toMatch(/forbidden key/);
    expect(({} as Record<string, unknown>)['firstName']).toBeUndefined();
  });

  it('names the array index on the way to a forbidden key', () => {
    const json = JSON.stringify(event('lead.rejected', { ...VALID['lead.rejected'], reasons: [{ field: 'a', message: 'b' }, { field: 'c', message: 'd', __x: 1 }] })).replace('"__x"', '"__proto__"');
    const error = violation(json);
    expect(error.path).toBe('data.reasons[1].__proto__');
  });

  it('refuses nesting deeper than 16 levels, naming where it went too deep', () => {
    let deep: Record<string, unknown> = { leaf: 'x' };
    for (let i = 0; i < 20; i++) deep = { a: deep };
    const error = violation({ ...event('nurture.enrolled'), data: { sequenceId: 's', queueId: 'q', extra: deep } });
    expect(error.message).toMatch(/is nested more than 16 levels deep/);
    expect(error.path).toBe(`data.extra${'.a'.repeat(15)}`);
  });
});

describe('isIsoTimestamp', () => {
  it.each([
    ['2024-02-29T00:00:00Z', false, true],
    ['2023-02-29T00:00:00Z', false, false],
    ['2026-03-01T10:00:00.123456+05:30', false, true],
    ['2026-03-01T10:00:00.123+05:30', true, false],
    ['2026-03-01 10:00:00Z', false, false],
    ['2026-13-01T10:00:00Z', false, false],
    ['2024-02-29T00:00:00.000Z', true, true],
    ['2100-02-29T00:00:00.000Z', true, false],
    ['2000-02-29T23:59:59.999Z', true, true],
    ['2026-04-31T00:00:00.000Z', true, false],
    ['2026-01-01T24:00:00.000Z', true, false],
    ['2026-01-01T00:60:00.000Z', true, false],
    ['2026-01-01T00:00:60.000Z', true, false],
    ['2026-00-01T00:00:00.000Z', true, false],
    ['2026-01-00T00:00:00.000Z', true, false],
    ['2026-01-0xT00:00:00.000Z', true, false],
    ['2026-01-01T00:00:00.00aZ', true, false],
    ['2026-01-01T00:00:00,000Z', true, false],
  ])('%s (utcOnly %s) -> %s', (value, utcOnly, expected) => {
    expect(isIsoTimestamp(value, utcOnly)).toBe(expected);
  });

  it('agrees with Date on toISOString-shaped strings with random digits', () => {
    // A string of that shape names a real instant exactly when Date gives it back unchanged (Date rolls
    // 31 April over to 1 May, and so on).
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pad = (n: number, width: number): string => String(n).padStart(width, '0');
    for (let i = 0; i < 5000; i++) {
      const value = `${pad(1900 + random(300), 4)}-${pad(random(14), 2)}-${pad(random(33), 2)}T${pad(random(26), 2)}:${pad(random(62), 2)}:${pad(random(62), 2)}.${pad(random(1000), 3)}Z`;
      const real = !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;
      expect([value, isIsoTimestamp(value, true)]).toEqual([value, real]);
    }
  });
});
