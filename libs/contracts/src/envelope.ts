/** Metadata every Leadstream event carries (docs/architecture.md, rule 1). */
export interface EventMetadata {
  /** UUID, canonical lower-case form. Derived (see `deriveEventId`) when the event reacts to another. */
  readonly eventId: string;
  /** UUID of the lead; also the Kafka message key, so one lead's events stay in order. */
  readonly leadId: string;
  /** ISO-8601 UTC timestamp (`Z` suffix), as produced by `Date.prototype.toISOString`. */
  readonly occurredAt: string;
  /** Constant along one lead's journey: the lead.received event id unless the edge chose another. */
  readonly correlationId: string;
  /** eventId of the event this one reacts to; null for events born at the edge (HTTP, CSV). */
  readonly causationId: string | null;
}

export interface EventEnvelope<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly version: number;
  readonly data: TData;
  readonly metadata: EventMetadata;
}
