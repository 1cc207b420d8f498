import type { LeadFields } from '@leadstream/contracts';
import { createCsvParser, isCsvRecordError, type CsvParserOptions, type CsvRecord } from './csv-parser';
import { DEFAULT_COLUMN_ALIASES, columnKey, mapHeader, rowToFields, type ColumnAliases, type FieldError, type HeaderMapping } from './header-mapping';
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
   * missing; or binary bytes after some rows, whose outcomes came before); nothing follows.
   */
  | { readonly kind: 'file-error'; readonly line: number; readonly message: string }
  /** The file ended without a single data row (empty, or a header only): nothing to import, nothing wrong. */
  | { readonly kind: 'no-rows'; readonly message: string };

export interface CsvLeadReaderOptions {
  readonly aliases?: ColumnAliases;
  /** Validation of each row, and `required`: the fields a header must have a column for. */
  readonly rules?: IntakeRules;
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
}

const SHOWN_COLUMNS = 20;
const SHOWN_COLUMN_CHARS = 60;

/**
 * Why a header cannot be imported: the required fields no column fills, the columns it has (the first
 * 20), and the column names that would fill each missing field. Fields the rules require beyond email
 * are said to be so, since the file's author cannot know that from the file.
 */
function missingColumnsMessage(header: readonly string[], line: number, missing: readonly IntakeFieldName[], aliases: ColumnAliases, rules: IntakeRules): string {
  const shown = header.slice(0, SHOWN_COLUMNS).map((name) => JSON.stringify(name.length > SHOWN_COLUMN_CHARS ? `${name.slice(0, SHOWN_COLUMN_CHARS)}...` : name));
  const blank = header.every((name) => columnKey(name) === '') ? ' (the header is blank)' : '';
  const byRules = missing.filter((field) => field !== 'email');
  const why = byRules.length === 0 ? '' : `; the intake rules (version ${JSON.stringify(rules.version)}) require ${byRules.join(', ')}`;
  const names = missing.map((field) => `${field}: ${[field, ...(aliases[field] ?? [])].map((name) => JSON.stringify(name)).join(', ')}`).join('; ');
  return (
    `no column of the header (line ${line}) maps to ${missing.join(', ')}${blank}: it has ${shown.join(', ')}${header.length > SHOWN_COLUMNS ? ', ...' : ''}` +
    `${why}; name ${missing.length === 1 ? 'the column one' : 'a column for each'} of ${names}`
  );
}

/**
 * CSV bytes in, one outcome per line out: the streaming parser, header mapping (with the columns the
 * rules require) and lead validation joined up the way an import needs them. Pure and incremental,
 * like the parser: feed it chunks of any size.
 */
export function createCsvLeadReader(options: CsvLeadReaderOptions = {}): CsvLeadReader {
  const rules = options.rules ?? DEFAULT_INTAKE_RULES;
  const aliases = options.aliases ?? DEFAULT_COLUMN_ALIASES;
  const resumeAfter = options.resumeAfterLine ?? 0;
  // The parser does not even decode the lines an earlier run handled.
  const parser = createCsvParser({ ...options.parser, skipThroughLine: resumeAfter });
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
        continue;
      }
      dataRows++;
      const row = rowToFields(record, mapping);
      if (!row.ok) {
        out.push({ kind: 'rejected', line: record.line, errors: row.errors, fields: record.fields });
        continue;
      }
      const result = validateLeadInput(row.fields, rules);
      if (result.ok) out.push({ kind: 'lead', line: record.line, lead: result.lead, attribution: result.attribution, fields: record.fields });
      else out.push({ kind: 'rejected', line: record.line, errors: result.errors, fields: record.fields, source: row.fields['source'] });
    }
    return out;
  }

  return {
    push(chunk: Uint8Array): CsvLeadOutcome[] {
      if (stopped) return [];
      return handle(parser.push(chunk), []);
    },
    end(): CsvLeadOutcome[] {
      if (stopped) return [];
      const out = handle(parser.end(), []);
      if (stopped) return out;
      stopped = true;
      if (mapping === undefined) out.push({ kind: 'no-rows', message: 'the file is empty: no header and no rows' });
      else if (dataRows === 0) out.push({ kind: 'no-rows', message: 'the file has a header but no rows' });
      return out;
    },
    get mapping(): HeaderMapping | undefined {
      return mapping;
    },
  };
}
