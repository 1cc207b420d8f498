/**
 * A consumed event does not satisfy its contract. Always permanent: retrying the same bytes cannot help,
 * so consumers send the event to their dead-letter topic with `message` as the reason.
 */
export class ContractViolation extends Error {
  readonly code = 'CONTRACT.INVALID_EVENT' as const;
  readonly kind = 'permanent' as const;
  /** Dotted path of the offending field, e.g. `data.lead.email`; '' for the event as a whole. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(message);
    this.name = 'ContractViolation';
    this.path = path;
  }
}

/**
 * Base of the errors thrown by the pure domain libraries when an invariant is broken
 * (an expected outcome is an event, never an exception). Subclasses carry a literal `code`
 * such as 'DEDUPE.NO_MATCH_KEY'. Permanent: the same input fails the same way on retry.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly kind = 'permanent' as const;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
