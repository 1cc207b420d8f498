import type { CsvRow } from './csv-parser';
import { normaliseSystemName, systemNameProblem } from './external-ids';
import { InvalidColumnAliasesError } from './intake-error';
import { INTAKE_FIELD_NAMES, describeType, isForbiddenKey, isIntakeFieldName, type IntakeFieldName } from './lead-field-names';

/**
 * Column names, as people write them, per intake field. Matching ignores case, spaces and punctuation
 * ("E-mail", "e_mail" and "EMAIL" are one name), and a field's own name always matches.
 */
export type ColumnAliases = Readonly<Partial<Record<IntakeFieldName, readonly string[]>>>;

export const DEFAULT_COLUMN_ALIASES: ColumnAliases = {
  email: ['E-mail', 'Email Address', 'E-mail Address', 'Mail', 'Work Email', 'Business Email'],
  firstName: ['First Name', 'Given Name', 'Forename', 'First'],
  lastName: ['Last Name', 'Surname', 'Family Name', 'Last'],
  company: ['Company Name', 'Organisation', 'Organization', 'Organisation Name', 'Organization Name', 'Account', 'Account Name', 'Employer'],
  title: ['Job Title', 'Position', 'Role', 'Job Role'],
  phone: ['Phone Number', 'Mobile', 'Mobile Phone', 'Mobile Number', 'Tel', 'Telephone', 'Work Phone'],
  country: ['Country/Region', 'Country Code', 'Nation'],
  source: ['Lead Source', 'Source Name'],
  campaign: ['Campaign Name'],
  website: ['Company Website', 'Website URL', 'Web', 'URL', 'Homepage', 'Company URL', 'Company Domain', 'Company Domain Name'],
  utmSource: ['utm_source'],
  utmMedium: ['utm_medium'],
  utmCampaign: ['utm_campaign'],
  utmTerm: ['utm_term'],
  utmContent: ['utm_content'],
  referrer: ['Referrer', 'Referer', 'Referrer URL', 'Referring URL'],
  landingPage: ['Landing Page', 'Landing Page URL', 'Landing URL'],
};

/** The comparable form of a column name: lower case, letters and digits only ("E-mail" -> "email"). */
export function columnKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Checks a column alias table loaded from configuration. Throws InvalidColumnAliasesError naming the
 * entry: an unknown field, a non-list, a blank alias, or one alias given to two fields.
 */
export function validateColumnAliases(raw: unknown): ColumnAliases {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidColumnAliasesError('', `expected an object of field -> list of column names, got ${describeType(raw)}`);
  }
  const owner = new Map<string, string>();
  for (const field of INTAKE_FIELD_NAMES) owner.set(columnKey(field), field);
  const result: Partial<Record<IntakeFieldName, readonly string[]>> = {};
  for (const [field, aliases] of Object.entries(raw)) {
    if (isForbiddenKey(field) || !isIntakeFieldName(field)) {
      throw new InvalidColumnAliasesError(field, `unknown field; expected one of ${INTAKE_FIELD_NAMES.join(', ')}`);
    }
    if (!Array.isArray(aliases)) {
      throw new InvalidColumnAliasesError(field, `expected a list of column names, got ${describeType(aliases)}`);
    }
    aliases.forEach((alias: unknown, index) => {
      const path = `${field}[${index}]`;
      if (typeof alias !== 'string') throw new InvalidColumnAliasesError(path, `expected a string, got ${describeType(alias)}`);
      if (externalIdColumnSystem(alias) !== undefined) {
        throw new InvalidColumnAliasesError(path, `${JSON.stringify(alias)} is an external id column (external_id.<system>), which fills externalIds`);
      }
      const key = columnKey(alias);
      if (key === '') throw new InvalidColumnAliasesError(path, `${JSON.stringify(alias)} has no letters or digits`);
      const previous = owner.get(key);
      if (previous !== undefined && previous !== field) {
        throw new InvalidColumnAliasesError(path, `${JSON.stringify(alias)} already names ${previous}`);
      }
      owner.set(key, field);
    });
    result[field] = [...(aliases as string[])];
  }
  return result;
}

/** A column named `external_id.<system>`: its cells are the leads' ids in that system. */
export interface ExternalIdColumn {
  /** The column's position (0-based). */
  readonly index: number;
  /** The system, trimmed and lower-cased (`external_id.Salesforce` -> `salesforce`). */
  readonly system: string;
}

/** A column the file cannot be imported with, and why (said of the column, as a FieldError message is). */
export interface InvalidColumn {
  readonly name: string;
  readonly message: string;
}

export interface HeaderMapping {
  /** The field each column fills, by position; `null` for a column that is ignored or holds external ids. */
  readonly columns: readonly (IntakeFieldName | null)[];
  /** The `external_id.<system>` columns, in header order, one per system. */
  readonly externalIds: readonly ExternalIdColumn[];
  /** `external_id.<system>` columns whose system is no system name: the file cannot be imported. */
  readonly invalid: readonly InvalidColumn[];
  /** Header names that match no field (blank ones as `column N`); their values are ignored. */
  readonly unknown: readonly string[];
  /** Header names that name a field an earlier column already fills; ignored. */
  readonly duplicates: readonly string[];
  /** Required fields no column fills: the file cannot be imported. */
  readonly missingRequired: readonly IntakeFieldName[];
  /**
   * True when the columns can name someone (contracts' `namesSomeone`): an email or phone column, an
   * `external_id.<system>` column, or a name column (first or last) with a company or website column.
   * Without one no row could be a lead, so the file cannot be imported.
   */
  readonly canNameSomeone: boolean;
}

/** True when a header filling `fields` (with external id columns or not) can name someone; see `HeaderMapping.canNameSomeone`. */
function columnsCanNameSomeone(fields: ReadonlySet<IntakeFieldName>, hasExternalIds: boolean): boolean {
  if (hasExternalIds || fields.has('email') || fields.has('phone')) return true;
  return (fields.has('firstName') || fields.has('lastName')) && (fields.has('company') || fields.has('website'));
}

function lookupTable(aliases: ColumnAliases): Map<string, IntakeFieldName> {
  const table = new Map<string, IntakeFieldName>();
  for (const field of INTAKE_FIELD_NAMES) table.set(columnKey(field), field);
  for (const field of INTAKE_FIELD_NAMES) {
    for (const alias of aliases[field] ?? []) {
      const key = columnKey(alias);
      if (key !== '' && !table.has(key)) table.set(key, field);
    }
  }
  return table;
}

// `external_id.<system>`; `external_ids.` and `externalId.` too, in any case. Matched before the alias
// table, and on the name as written: columnKey would drop the dot and the characters a system name keeps.
const EXTERNAL_ID_COLUMN = /^\s*external[_-]?ids?\.(.*)$/i;

/** The system an `external_id.<system>` column names (as written after the dot), or `undefined` for another column. */
export function externalIdColumnSystem(name: string): string | undefined {
  return EXTERNAL_ID_COLUMN.exec(name)?.[1];
}

/**
 * Maps a CSV header to intake fields through the alias table. Columns named `external_id.<system>`
 * fill the lead's externalIds; one whose system is no system name is listed in `invalid`. `required`:
 * the fields the intake rules require (none by default), listed in `missingRequired` when no column fills them.
 */
export function mapHeader(
  headerFields: readonly string[],
  aliases: ColumnAliases = DEFAULT_COLUMN_ALIASES,
  required: readonly IntakeFieldName[] = [],
): HeaderMapping {
  const table = lookupTable(aliases);
  const columns: (IntakeFieldName | null)[] = [];
  const unknown: string[] = [];
  const duplicates: string[] = [];
  const seen = new Set<IntakeFieldName>();
  const externalIds: ExternalIdColumn[] = [];
  const invalid: InvalidColumn[] = [];
  headerFields.forEach((name, index) => {
    const written = externalIdColumnSystem(name);
    if (written !== undefined) {
      columns.push(null);
      const problem = systemNameProblem(written);
      const system = normaliseSystemName(written);
      if (problem !== undefined) invalid.push({ name, message: `${JSON.stringify(written.trim())} ${problem}` });
      else if (externalIds.some((column) => column.system === system)) duplicates.push(name);
      else externalIds.push({ index, system });
      return;
    }
    const field = table.get(columnKey(name));
    if (field === undefined) {
      columns.push(null);
      unknown.push(name.trim() === '' ? `column ${index + 1}` : name);
    } else if (seen.has(field)) {
      columns.push(null);
      duplicates.push(name);
    } else {
      columns.push(field);
      seen.add(field);
    }
  });
  return {
    columns,
    externalIds,
    invalid,
    unknown,
    duplicates,
    missingRequired: required.filter((field) => !seen.has(field)),
    canNameSomeone: columnsCanNameSomeone(seen, externalIds.length > 0),
  };
}

/**
 * One problem with one field. `message` is said of the field and does not repeat its name, so that every
 * channel shows it the same way: `field: message` (`email: has no @`), as `fieldErrorText` writes it.
 */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** `field: message`, the one shape a rejection reason is shown in (the message alone when no field is named). */
export function fieldErrorText(error: FieldError): string {
  return error.field === '' ? error.message : `${error.field}: ${error.message}`;
}

export type RowFieldsResult =
  /** `externalIds`: the row's cells of the `external_id.<system>` columns by system (blank ones included), when the header has any. */
  | { readonly ok: true; readonly line: number; readonly fields: Record<string, string>; readonly externalIds?: Record<string, string> }
  | { readonly ok: false; readonly line: number; readonly errors: FieldError[] };

/**
 * The mapped fields of one CSV row. A row with fewer fields than the header is read as if the missing
 * trailing fields were empty (spreadsheet tools leave trailing empty cells out). A row with non-blank
 * values beyond the header's columns is an error naming the line and the counts (a shifted row would put
 * values into the wrong fields); blank trailing extras (a trailing delimiter) are ignored.
 */
export function rowToFields(record: CsvRow, mapping: HeaderMapping): RowFieldsResult {
  const { fields, line } = record;
  const expected = mapping.columns.length;
  if (fields.length > expected) {
    for (let i = expected; i < fields.length; i++) {
      if ((fields[i] as string).trim() !== '') {
        const extra = fields.length - expected;
        return {
          ok: false,
          line,
          errors: [{ field: 'columns', message: `line ${line} has ${fields.length} fields, the header has ${expected} (${extra} extra)` }],
        };
      }
    }
  }
  const out: Record<string, string> = {};
  const present = Math.min(expected, fields.length);
  for (let i = 0; i < present; i++) {
    const field = mapping.columns[i];
    if (field !== null && field !== undefined) out[field] = fields[i] as string;
  }
  if (mapping.externalIds.length === 0) return { ok: true, line, fields: out };
  const externalIds: Record<string, string> = {};
  for (const { index, system } of mapping.externalIds) {
    if (index < present) externalIds[system] = fields[index] as string;
  }
  return { ok: true, line, fields: out, externalIds };
}
