import { DomainError } from '@leadstream/contracts';

/** The lead's email cannot be read as an address, so the lead cannot be keyed or enriched. */
export class InvalidEmailError extends DomainError {
  readonly code = 'ENRICHMENT.INVALID_EMAIL' as const;

  constructor(readonly email: string) {
    super(`email ${JSON.stringify(email)} is not an address with a local part and a domain`);
  }
}
