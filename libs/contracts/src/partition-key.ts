import type { LeadstreamEvent } from './events';

/**
 * The Kafka message key of an event: the lead it is about, and after dedupe has resolved a lead, the
 * SURVIVING lead. So every event about one person travels on one partition, in order, whatever lead id
 * the duplicate arrived with.
 *
 * - lead.received, lead.rejected, lead.enriched: the incoming lead (nothing is resolved yet).
 * - lead.resolved: data.masterLeadId, the surviving lead (metadata.leadId stays the incoming lead, so the
 *   event log can still tell which lead was merged).
 * - lead.merged: data.survivorLeadId. lead.unmerged: the split-off lead (metadata.leadId), which lives on
 *   under its own id again; consumers that also act on the former survivor lock it as well.
 * - every later event (scored, qualified, assigned, nurture, activities): metadata.leadId, which the
 *   producing stage sets to the surviving lead.
 */
export function partitionKeyOf(event: LeadstreamEvent): string {
  switch (event.type) {
    case 'lead.resolved':
      return event.data.masterLeadId;
    case 'lead.merged':
      return event.data.survivorLeadId;
    case 'lead.unmerged':
    case 'lead.merge-requested':
    case 'lead.unmerge-requested':
    case 'lead.received':
    case 'lead.rejected':
    case 'lead.enriched':
    case 'lead.scored':
    case 'lead.qualified':
    case 'lead.assigned':
    case 'activity.recorded':
    case 'nurture.enrolled':
      return event.metadata.leadId;
    default: {
      const unhandled: never = event;
      throw new Error(`no partition key rule for event type ${(unhandled as { type?: unknown }).type}`);
    }
  }
}
