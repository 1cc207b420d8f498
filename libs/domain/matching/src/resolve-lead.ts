import type { EnrichedLead } from '@leadstream/contracts';
import { matchKey, type MatchBasis } from './match-key';

export interface ResolveLead {
  readonly lead: EnrichedLead;
  /** The incoming lead's id (metadata.leadId of its lead.enriched). */
  readonly leadId: string;
}

/**
 * What dedupe already knows, looked up by the adapter under `matchKey(lead)` before deciding.
 * Fuzzy matching will add candidate leads here; the decider stays pure.
 */
export interface KnownLeads {
  readonly masterLeadIdForEmail: string | undefined;
}

export interface Resolution {
  readonly outcome: 'new' | 'merged';
  /** The surviving lead: the incoming lead itself when new. */
  readonly masterLeadId: string;
  readonly matchedOn?: MatchBasis;
}

/**
 * Decides whether an enriched lead is new or a duplicate of a known lead (exact match on the mailbox key).
 * A lead that finds itself (a redelivered event after its key was stored) is still new, so a retry
 * resolves the same way as the first attempt. Throws NoMatchKeyError when the lead has no email.
 */
export function resolveLead(command: ResolveLead, known: KnownLeads): Resolution {
  matchKey(command.lead); // no key, no decision: throws NoMatchKeyError
  const master = known.masterLeadIdForEmail;
  if (master === undefined || master === command.leadId) {
    return { outcome: 'new', masterLeadId: command.leadId };
  }
  return { outcome: 'merged', masterLeadId: master, matchedOn: 'email' };
}
