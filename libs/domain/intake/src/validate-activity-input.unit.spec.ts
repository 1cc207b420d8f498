import { ACTIVITY_KINDS } from '@leadstream/contracts';
import { InvalidClockError } from './intake-error';
import { validateActivityInput } from './validate-activity-input';

const NOW = '2026-11-23T14:00:00.000Z';
const LEAD_ID = '0b7c3a52-8a1f-4c1e-9d2b-5f6a7e8c9d01';

function errorsOf(input: unknown, now = NOW): { field: string; message: string }[] {
  const result = validateActivityInput(input, now);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result)}`);
  return result.errors;
}

describe('validateActivityInput', () => {
  it('accepts an activity by lead id, stamping it now when it has no time', () => {
    expect(validateActivityInput({ leadId: LEAD_ID, kind: 'email_opened' }, NOW)).toEqual({
      ok: true,
      activity: { leadId: LEAD_ID, kind: 'email_opened', at: NOW },
    });
  });

  it('accepts an activity by email with a time, URL and detail, normalising the time to UTC', () => {
    const result = validateActivityInput(
      { email: ' ada@example.com ', kind: 'page_visited', at: '2026-11-23T15:02:00+01:00', url: 'https://example.com/pricing', detail: { title: 'Pricing' } },
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      activity: { email: 'ada@example.com', kind: 'page_visited', at: '2026-11-23T14:02:00.000Z', url: 'https://example.com/pricing', detail: { title: 'Pricing' } },
    });
  });

  it('accepts an upper-case lead id in its canonical lower-case form', () => {
    const result = validateActivityInput({ leadId: LEAD_ID.toUpperCase(), kind: 'meeting_booked' }, NOW);
    expect(result.ok && result.activity.leadId).toBe(LEAD_ID);
  });

  it('needs exactly one of lead id and email', () => {
    expect(errorsOf({ kind: 'email_opened' })).toEqual([{ field: 'leadId', message: 'is required, or email, to name the lead' }]);
    expect(errorsOf({ kind: 'email_opened', leadId: LEAD_ID, email: 'a@b.co' })).toEqual([
      { field: 'leadId', message: 'give either leadId or email, not both' },
    ]);
  });

  it('rejects a lead id that is not a UUID and an email that is not an address', () => {
    expect(errorsOf({ kind: 'email_opened', leadId: 'lead-42' })).toEqual([{ field: 'leadId', message: 'must be a UUID, got "lead-42"' }]);
    expect(errorsOf({ kind: 'email_opened', email: 'nobody' })).toEqual([{ field: 'email', message: 'has no @' }]);
  });

  it('lists the activity kinds when the kind is missing or unknown', () => {
    const list = ACTIVITY_KINDS.join(', ');
    expect(list).toContain('webinar_attended');
    expect(errorsOf({ leadId: LEAD_ID })).toEqual([{ field: 'kind', message: `is required; one of ${list}` }]);
    expect(errorsOf({ leadId: LEAD_ID, kind: 'tweeted' })).toEqual([{ field: 'kind', message: `must be one of ${list}; got "tweeted"` }]);
    expect(errorsOf({ leadId: LEAD_ID, kind: 3 })).toEqual([{ field: 'kind', message: `must be one of ${list}; got number` }]);
  });

  it('accepts a time up to five minutes ahead of now and rejects one further ahead', () => {
    expect(validateActivityInput({ leadId: LEAD_ID, kind: 'email_clicked', at: '2026-11-23T14:05:00Z' }, NOW).ok).toBe(true);
    expect(errorsOf({ leadId: LEAD_ID, kind: 'email_clicked', at: '2026-11-23T14:05:01Z' })).toEqual([
      { field: 'at', message: '2026-11-23T14:05:01Z is more than 5 minutes in the future' },
    ]);
    expect(validateActivityInput({ leadId: LEAD_ID, kind: 'email_clicked', at: '2020-01-01T00:00:00Z' }, NOW).ok).toBe(true);
  });

  it.each([
    ['a date without a time', '2026-11-23'],
    ['an impossible date', '2026-02-30T10:00:00Z'],
    ['a number', 1763906400000],
  ])('rejects %s as the time', (_case, at) => {
    const errors = errorsOf({ leadId: LEAD_ID, kind: 'email_clicked', at });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: 'at' });
    expect(errors[0]?.message).toMatch(/must be an ISO-8601 timestamp/);
  });

  it('requires an http(s) URL for a page visit', () => {
    expect(errorsOf({ leadId: LEAD_ID, kind: 'page_visited' })).toEqual([{ field: 'url', message: 'is required for page_visited' }]);
    expect(errorsOf({ leadId: LEAD_ID, kind: 'page_visited', url: 'javascript:alert(1)' })).toEqual([
      { field: 'url', message: 'must be an http or https URL, got "javascript:alert(1)"' },
    ]);
  });

  it('rejects unknown fields, forbidden keys and wrong types', () => {
    const input = JSON.parse(`{"leadId":"${LEAD_ID}","kind":"email_opened","__proto__":{"x":1},"score":5,"detail":{"constructor":"x","n":1}}`);
    expect(errorsOf(input)).toEqual([
      { field: '__proto__', message: 'is not allowed as a field name' },
      { field: 'score', message: 'is not a known field; allowed: leadId, email, kind, at, url, detail' },
      { field: 'detail.constructor', message: 'is not allowed as a detail key' },
      { field: 'detail.n', message: 'must be a string, got number' },
    ]);
    expect(errorsOf({ email: 5, kind: 'email_opened' })).toContainEqual({ field: 'email', message: 'must be a string, got number' });
    expect(errorsOf([])).toEqual([{ field: '(body)', message: 'expected an object describing an activity, got array' }]);
  });

  it('rejects a megabyte URL without scanning it', () => {
    const url = `https://example.com/${'x'.repeat(1_048_576)}`;
    expect(errorsOf({ leadId: LEAD_ID, kind: 'content_downloaded', url })).toEqual([
      { field: 'url', message: `is longer than 2048 characters (got ${url.length})` },
    ]);
  });

  it('throws when now is not a timestamp, which is a caller bug', () => {
    expect(() => validateActivityInput({ leadId: LEAD_ID, kind: 'email_opened' }, 'yesterday')).toThrow(InvalidClockError);
  });
});
