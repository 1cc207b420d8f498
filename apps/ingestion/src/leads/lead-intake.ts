import { randomUUID } from 'node:crypto';
import { newEdgeEvent, type LeadChannel, type LeadFields, type LeadReceived, type LeadRejected } from '@leadstream/contracts';
import { fieldErrorText, validateLeadInput, type IntakeRules } from '@leadstream/domain-intake';
import { leadRejectedEvent, type RejectionReason } from '../rejections';

export interface IntakeContext {
  readonly channel: LeadChannel;
  readonly rules: IntakeRules;
  /** The request's Referer header: the lead's referrer when the body names none. */
  readonly refererHeader?: string;
  readonly formId?: string;
  readonly occurredAt?: string;
}

export type LeadIntake =
  | { readonly ok: true; readonly leadId: string; readonly event: LeadReceived }
  | { readonly ok: false; readonly errors: readonly RejectionReason[]; readonly event: LeadRejected };

function withRefererFallback(lead: LeadFields, refererHeader: string | undefined, rules: IntakeRules): LeadFields {
  const referrer = refererHeader?.trim();
  if (referrer === undefined || referrer === '' || lead.attribution?.referrer !== undefined) return lead;
  // A header too long to keep is dropped rather than refusing the lead: the client did not choose it.
  if (referrer.length > rules.maxLength.referrer) return lead;
  return { ...lead, attribution: { ...lead.attribution, referrer } };
}

/** Validates one submitted lead and builds the event that reports it: lead.received or lead.rejected. */
export function takeInLead(input: unknown, context: IntakeContext): LeadIntake {
  const occurredAt = context.occurredAt ?? new Date().toISOString();
  const result = validateLeadInput(input, context.rules);
  if (!result.ok) {
    const source = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>)['source'] : undefined;
    const origin = { channel: context.channel, source, occurredAt, ...(context.formId === undefined ? {} : { formId: context.formId }) };
    return { ok: false, errors: result.errors, event: leadRejectedEvent(result.errors, origin) };
  }
  const leadId = randomUUID();
  const lead = withRefererFallback(result.lead, context.refererHeader, context.rules);
  const event = newEdgeEvent<LeadReceived>({
    type: 'lead.received',
    data: { lead, channel: context.channel, ...(context.formId === undefined ? {} : { formId: context.formId }) },
    eventId: randomUUID(),
    leadId,
    occurredAt,
  });
  return { ok: true, leadId, event };
}

/**
 * The 400 body every intake endpoint answers for a refused lead: `'field: reason'` lines and the fields. A
 * problem of the lead as a whole (field '': it names no one) is its message alone and names no field.
 */
export function badRequestBody(errors: readonly RejectionReason[]): { statusCode: 400; error: 'Bad Request'; message: string[]; fields: string[] } {
  return {
    statusCode: 400,
    error: 'Bad Request',
    message: errors.map(fieldErrorText),
    fields: [...new Set(errors.map((error) => error.field).filter((field) => field !== ''))],
  };
}
