import type { LeadFields } from '@leadstream/contracts';
import { detectCsvDelimiter, headerLineEnd } from './csv-delimiter';
import { DEFAULT_MAX_RECORD_BYTES, createCsvParser, isCsvRecordError, type CsvParser, type CsvParserOptions, type CsvRecord } from './csv-parser';
import type { CsvEncoding } from './encoding-detection';
import { DEFAULT_COLUMN_ALIASES, columnKey, mapHeader, rowToFields, type ColumnAliases, type FieldError, type HeaderMapping, type InvalidColumn } from './header-mapping';
import { DEFAULT_INTAKE_RULES, type IntakeRules } from './intake-rules';
import type { Attribution, IntakeFieldName } from './lead-field-names';
import { validateLeadInput } from './validate-lead-input';

/** What became of one line of a CSV file of leads. */
export type CsvLeadOutcome =
  /** `fields`: the row as read (the same array the parser returned, not a copy). */
  | { readonly kind: 'lead'; readonly line: number; readonly lead: LeadFields; readonly attribution: Attribution; readonly fields: readonly string[] }
  /**
   * `fields`: the row as read, for the rejected-rows report; absent when the row could not be read at
   * all. `source`: the row's source column as written, when the row could be mapped to fields.
   */
  | { readonly kind: 'rejected'; readonly line: number; readonly errors: FieldError[]; readonly fields?: readonly string[]; readonly source?: string }
  /**
   * The file cannot be imported from `line` on (binary, its header unreadable, a required column
   * missing, no column that can name someone; or binary bytes after some rows, whose outcomes came
   * before); nothing follows.
   */
  | { readonly kind: 'file-error'; readonly line: number; readonly message: string }
  /** The file ended without a single data row (empty, or a header only): nothing to import, nothing wrong. */
  | { readonly kind: 'no-rows'; readonly message: string };

export interface CsvLeadReaderOptions {
  readonly aliases?: ColumnAliases;
  /**
   * Validation of each row, and `required`: the fields a header must have a column for. Whatever the
   * rules, the header needs a column that can name someone (`HeaderMapping.canNameSomeone`).
   */
  readonly rules?: IntakeRules;
  /**
   * Parser options. Without a `delimiter`, the delimiter (comma, semicolon or tab) is detected from the
   * header line; `encoding` defaults to UTF-8.
   */
  readonly parser?: CsvParserOptions;
  /**
   * Lines up to and including this one were handled by an earlier, interrupted run: they produce no
   * outcome (the header is still read). A row's identity is its import and line, so a resumed import
   * neither loses nor repeats one.
   */
  readonly resumeAfterLine?: number;
}

export interface CsvLeadReader {
  push(chunk: Uint8Array): CsvLeadOutcome[];
  end(): CsvLeadOutcome[];
  /** The header mapping once the header has been read (for reporting ignored columns). */
  readonly mapping: HeaderMapping | undefined;
  /** The delimiter in use: the one given, or the one detected once the header line arrived. */
  readonly delimiter: string | undefined;
  readonly encoding: CsvEncoding;
}

const SHOWN_COLUMNS = 20;
const SHOWN_COLUMN_CHARS = 60;

/** The header's columns as a message shows them (the first 20, each cut to 60 characters), and whether all are blank. */
function shownHeader(header: readonly string[]): string {
  const shown = header.slice(0, SHOWN_COLUMNS).map((name) => JSON.stringify(name.length > SHOWN_COLUMN_CHARS ? `${name.slice(0, SHOWN_COLUMN_CHARS)}...` : name));
  const blank = header.every((name) => columnKey(name) === '') ? ' (the header is blank)' : '';
  return `${blank}: it has ${shown.join(', ')}${header.length > SHOWN_COLUMNS ? ', ...' : ''}`;
}

/** `company: "company", "Company Name", ...`: a field and the column names that fill it. */
function columnNamesOf(field: IntakeFieldName, aliases: ColumnAliases): string {
  return `${field}: ${[field, ...(aliases[field] ?? [])].map((name) => JSON.stringify(name)).join(', ')}`;
}

/**
 * Why a header cannot be imported: the required fields no column fills, the columns it has (the first
 * 20), and the column names that would fill each missing field. The rules' version is named, since the
 * file's author cannot know from the file what the rules require.
 */
function missingColumnsMessage(header: readonly string[], line: number, missing: readonly IntakeFieldName[], aliases: ColumnAliases, rules: IntakeRules): string {
  const names = missing.map((field) => columnNamesOf(field, aliases)).join('; ');
  return (
    `no column of the header (line ${line}) maps to ${missing.join(', ')}${shownHeader(header)}` +
    `; the intake rules (version ${JSON.stringify(rules.version)}) require ${missing.join(', ')}; name ${missing.length === 1 ? 'the column one' : 'a column for each'} of ${names}`
  );
}

/**
 * Why a header none of whose columns can name someone cannot be imported (no row of it could be a lead):
 * the columns it has, what it came close with (a name without a company, or the reverse), and the column
 * names that would do.
 */
function namesNoOneColumnsMessage(header: readonly string[], line: number, mapping: HeaderMapping, aliases: ColumnAliases): string {
  const fields = new Set(mapping.columns);
  const named = fields.has('firstName') || fields.has('lastName');
  const employed = fields.has('company') || fields.has('website');
  const close = named ? ' (a name column, but no company or website column)' : employed ? ' (a company column, but no name column)' : '';
  const names = (...of: IntakeFieldName[]): string => of.map((field) => columnNamesOf(field, aliases)).join('; or ');
  return (
    `no column of the header (line ${line}) can name someone${shownHeader(header)}${close}; a lead needs an email, a phone, an external id, ` +
    `or a name with a company: name a column one of ${names('email', 'phone')}; or "external_id.<system>" (such as "external_id.salesforce"); ` +
    `or have a name column (${names('firstName', 'lastName')}) and a company column (${names('company', 'website')})`
  );
}

/** Why a header with `external_id.<system>` columns that name no system cannot be imported. */
function invalidColumnsMessage(line: number, invalid: readonly InvalidColumn[]): string {
  const shown = invalid.slice(0, SHOWN_COLUMNS).map(({ name, message }) => {
    const column = name.length > SHOWN_COLUMN_CHARS ? `${name.slice(0, SHOWN_COLUMN_CHARS)}...` : name;
    return `column ${JSON.stringify(column)}: ${message}`;
  });
  return `the header (line ${line}) has external id columns that name no system: ${shown.join('; ')}${invalid.length > SHOWN_COLUMNS ? '; ...' : ''}`;
}

/**
 * CSV bytes in, one outcome per line out: the streaming parser, header mapping (with the columns the
 * rules require, and one that can name someone) and lead validation joined up the way an import needs
 * them. Pure and incremental, like the parser: feed it chunks of any size.
 */
export function createCsvLeadReader(options: CsvLeadReaderOptions = {}): CsvLeadReader {
  const rules = options.rules ?? DEFAULT_INTAKE_RULES;
  const aliases = options.aliases ?? DEFAULT_COLUMN_ALIASES;
  const resumeAfter = options.resumeAfterLine ?? 0;
  const encoding = options.parser?.encoding ?? 'utf-8';
  // The parser does not even decode the lines an earlier run handled.
  const makeParser = (delimiter: string): CsvParser => createCsvParser({ ...options.parser, delimiter, skipThroughLine: resumeAfter });
  let delimiter = options.parser?.delimiter;
  let parser: CsvParser | undefined = delimiter === undefined ? undefined : makeParser(delimiter);
  // Without a delimiter given, the first bytes are held until the header line is complete (or as long
  // as a record may be), then the delimiter is detected from it.
  const detectWithin = options.parser?.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  let held = new Uint8Array(0);
  let heldBytes = 0;

  function hold(chunk: Uint8Array): Uint8Array | undefined {
    if (heldBytes + chunk.length > held.length) {
      const grown = new Uint8Array(Math.max(held.length * 2, heldBytes + chunk.length, 4096));
      grown.set(held.subarray(0, heldBytes));
      held = grown;
    }
    held.set(chunk, heldBytes);
    heldBytes += chunk.length;
    const bytes = held.subarray(0, heldBytes);
    // Scanned from the start each time (the quoted state depends on every byte before); the chunks of
    // an import are large, so this is rarely more than once.
    if (heldBytes < detectWithin && headerLineEnd(bytes) < 0) return undefined;
    return bytes;
  }

  function startParser(bytes: Uint8Array): CsvParser {
    delimiter = detectCsvDelimiter(bytes);
    const started = makeParser(delimiter);
    parser = started;
    started.push(bytes).forEach((record) => pushedAtStart.push(record));
    held = new Uint8Array(0);
    heldBytes = 0;
    return started;
  }
  // Records the held bytes gave when the parser was started.
  const pushedAtStart: CsvRecord[] = [];
  function takeStarted(): CsvRecord[] {
    return pushedAtStart.splice(0, pushedAtStart.length);
  }
  let mapping: HeaderMapping | undefined;
  // A resumed file had data rows: the earlier run committed some.
  let dataRows = resumeAfter > 0 ? 1 : 0;
  let stopped = false;

  function stop(out: CsvLeadOutcome[], line: number, message: string): void {
    out.push({ kind: 'file-error', line, message });
    stopped = true;
  }

  function handle(records: CsvRecord[], out: CsvLeadOutcome[]): CsvLeadOutcome[] {
    for (const record of records) {
      if (stopped) break;
      if (isCsvRecordError(record)) {
        if (mapping === undefined) {
          stop(out, record.line, record.fatal === true ? record.error : `the header (line ${record.line}) cannot be read: ${record.error}`);
          continue;
        }
        dataRows++;
        // A fatal record (binary bytes after some rows) is that line's rejection as well as the end of the file.
        if (record.line > resumeAfter) out.push({ kind: 'rejected', line: record.line, errors: [{ field: 'row', message: record.error }] });
        if (record.fatal === true) stop(out, record.line, record.error);
        continue;
      }
      if (mapping === undefined) {
        mapping = mapHeader(record.fields, aliases, rules.required);
        if (mapping.missingRequired.length > 0) stop(out, record.line, missingColumnsMessage(record.fields, record.line, mapping.missingRequired, aliases, rules));
        else if (mapping.invalid.length > 0) stop(out, record.line, invalidColumnsMessage(record.line, mapping.invalid));
        else if (!mapping.canNameSomeone) stop(out, record.line, namesNoOneColumnsMessage(record.fields, record.line, mapping, aliases));
        continue;
      }
      dataRows++;
      const row = rowToFields(record, mapping);
      if (!row.ok) {
        out.push({ kind: 'rejected', line: record.line, errors: row.errors, fields: record.fields });
        continue;
      }
      // The row's external ids are validated as the `externalIds` object of a JSON lead is, so a bad one
      // reads `externalIds.salesforce: ...` on every channel.
      const result = validateLeadInput(row.externalIds === undefined ? row.fields : { ...row.fields, externalIds: row.externalIds }, rules);
      if (result.ok) out.push({ kind: 'lead', line: record.line, lead: result.lead, attribution: result.attribution, fields: record.fields });
      else out.push({ kind: 'rejected', line: record.line, errors: result.errors, fields: record.fields, source: row.fields['source'] });
    }
    return out;
  }

  return {
    push(chunk: Uint8Array): CsvLeadOutcome[] {
      if (stopped) return [];
      if (parser === undefined) {
        const header = hold(chunk);
        if (header === undefined) return [];
        startParser(header);
        return handle(takeStarted(), []);
      }
      return handle(parser.push(chunk), []);
    },
    end(): CsvLeadOutcome[] {
      if (stopped) return [];
      const active = parser ?? startParser(held.subarray(0, heldBytes));
      const out = handle([...takeStarted(), ...active.end()], []);
      if (stopped) return out;
      stopped = true;
      if (mapping === undefined) out.push({ kind: 'no-rows', message: 'the file is empty: no header and no rows' });
      else if (dataRows === 0) out.push({ kind: 'no-rows', message: 'the file has a header but no rows' });
      return out;
    },
    get mapping(): HeaderMapping | undefined {
      return mapping;
    },
    get delimiter(): string | undefined {
      return delimiter;
    },
    encoding,
  };
}
