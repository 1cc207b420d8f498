import { DomainError } from '@leadstream/contracts';

/** Intake validation rules that cannot be used; `path` names the offending entry (`maxLength.email`). */
export class InvalidIntakeRulesError extends DomainError {
  readonly code = 'INTAKE.INVALID_RULES' as const;
  constructor(readonly path: string, message: string) {
    super(`intake rules: ${path === '' ? '' : `${path}: `}${message}`);
  }
}

/** A column alias table that cannot be used; `path` names the offending entry (`email[2]`). */
export class InvalidColumnAliasesError extends DomainError {
  readonly code = 'INTAKE.INVALID_COLUMN_ALIASES' as const;
  constructor(readonly path: string, message: string) {
    super(`column aliases: ${path === '' ? '' : `${path}: `}${message}`);
  }
}

/** A web-to-lead form definition that cannot be used; `path` names the offending entry. */
export class InvalidFormDefinitionError extends DomainError {
  readonly code = 'INTAKE.INVALID_FORM' as const;
  constructor(readonly path: string, message: string) {
    super(`form definition: ${path === '' ? '' : `${path}: `}${message}`);
  }
}

/** A caller passed something that is not an ISO-8601 timestamp as `now`. */
export class InvalidClockError extends DomainError {
  readonly code = 'INTAKE.INVALID_NOW' as const;
}
