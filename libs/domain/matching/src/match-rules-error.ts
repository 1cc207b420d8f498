import { DomainError } from '@leadstream/contracts';

/** Match or survivorship rules that cannot be used: the message names the offending path and value. */
export class MatchRulesError extends DomainError {
  readonly code = 'DEDUPE.INVALID_MATCH_RULES' as const;
  /** Dotted path of the offending setting, e.g. `weights.phone.agree`; '' for the rules as a whole. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
