import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { newEdgeEvent, type LeadChannel, type LeadRejected } from '@leadstream/contracts';
import type { EventPublisher } from '@leadstream/platform-kafka';

/** One reason a lead was refused, naming its field (`''` / `(body)` when the whole input was unreadable). */
export interface RejectionReason {
  readonly field: string;
  readonly message: string;
}

export interface RejectionOrigin {
  readonly channel: LeadChannel;
  /** The lead's `source` as submitted, so reports can show rejection rates per source. */
  readonly source?: unknown;
  readonly formId?: string;
  readonly importId?: string;
  readonly line?: number;
  /** Event id (and lead id) to use; default fresh uuids. CSV rows pass deterministic ones. */
  readonly eventId?: string;
  readonly leadId?: string;
  readonly occurredAt?: string;
}

// A body of ten thousand unknown keys must not become a ten-thousand-reason event: the first ones say enough.
const MAX_REASONS = 100;
// The contract's limit for a text field.
const MAX_TEXT = 1000;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/**
 * Builds the `lead.rejected` event for a refused lead. Reasons beyond the first 100 are summarised in
 * one last reason; texts are clipped to what the contract allows, so the event itself is always valid.
 */
export function leadRejectedEvent(reasons: readonly RejectionReason[], origin: RejectionOrigin): LeadRejected {
  const kept = reasons.slice(0, MAX_REASONS).map((reason) => ({
    field: clip(reason.field, 200),
    message: clip(reason.message === '' ? 'rejected' : reason.message, MAX_TEXT),
  }));
  if (reasons.length > MAX_REASONS) kept.push({ field: '', message: `and ${reasons.length - MAX_REASONS} more problems` });
  if (kept.length === 0) kept.push({ field: '', message: 'rejected' });
  const source = typeof origin.source === 'string' && origin.source.trim() !== '' ? clip(origin.source.trim(), 100) : undefined;
  const eventId = origin.eventId ?? randomUUID();
  return newEdgeEvent<LeadRejected>({
    type: 'lead.rejected',
    data: {
      reasons: kept,
      channel: origin.channel,
      ...(source === undefined ? {} : { source }),
      ...(origin.formId === undefined ? {} : { formId: origin.formId }),
      ...(origin.importId === undefined ? {} : { importId: origin.importId }),
      ...(origin.line === undefined ? {} : { line: origin.line }),
    },
    eventId,
    leadId: origin.leadId ?? randomUUID(),
    occurredAt: origin.occurredAt ?? new Date().toISOString(),
  });
}

const logger = new Logger('LeadRejection');

/**
 * Publishes a rejection and waits for Kafka's acknowledgement, but never lets a failure change the
 * answer to the client: the client's request was wrong whether or not the report of it got out. A
 * failure is logged (with the reasons, so the rejection is not lost from sight) and `false` returned.
 */
export async function reportRejection(publisher: EventPublisher, event: LeadRejected): Promise<boolean> {
  try {
    await publisher.publish([event]);
    return true;
  } catch (error) {
    logger.warn(
      `lead.rejected ${event.metadata.eventId} (channel ${event.data.channel}) was not published: ${error instanceof Error ? error.message : String(error)}; reasons: ${event.data.reasons.map((r) => `${r.field}: ${r.message}`).join('; ')}`,
    );
    return false;
  }
}
