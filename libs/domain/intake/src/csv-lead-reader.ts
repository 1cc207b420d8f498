import type { LeadFields } from '@leadstream/contracts';
import { createCsvParser, isCsvRecordError, type CsvParserOptions, type CsvRecord } from './csv-parser';
import { DEFAULT_COLUMN_ALIASES, mapHeader, rowToFields, type ColumnAliases, type FieldError, type HeaderMapping } from './header-mapping';
import { DEFAULT_INTAKE_RULES, type IntakeRules } from './intake-rules';
import type { Attribution } from './lead-field-names';
import { validateLeadInput } from './validate-lead-input';

/** What became of one line of a CSV file of leads. */
export type CsvLeadOutcome =
  | { readonly kind: 'lead'; readonly line: number; readonly lead: LeadFields; readonly attribution: Attribution }
  /** `fields`: the row as read, for the rejected-rows report; absent when the row could not be read at all. */
  | { readonly kind: 'rejected'; readonly line: number; readonly errors: FieldError[]; readonly fields?: readonly string[] }
  /** The file as a whole cannot be imported (binary, empty, no data rows, no email column); nothing follows. */
  | { readonly kind: 'file-error'; readonly line: number; readonly message: string };

export interface CsvLeadReaderOptions {
  readonly aliases?: ColumnAliases;
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

/**
 * CSV bytes in, one outcome per line out: the streaming parser, header mapping and lead validation
 * joined up the way an import needs them. Pure and incremental, like the parser.
 */
export function createCsvLeadReader(options: CsvLeadReaderOptions = {}): CsvLeadReader {
  const rules = options.rules ?? DEFAULT_INTAKE_RULES;
  const aliases = options.aliases ?? DEFAULT_COLUMN_ALIASES;
  const resumeAfter = options.resumeAfterLine ?? 0;
  const parser = createCsvParser(options.parser);
  let mapping: HeaderMapping | undefined;
  let dataRows = 0;
  let stopped = false;

  function stop(out: CsvLeadOutcome[], line: number, message: string): void {
    out.push({ kind: 'file-error', line, message });
    stopped = true;
  }

  function handle(records: CsvRecord[], out: CsvLeadOutcome[]): CsvLeadOutcome[] {
    for (const record of records) {
      if (stopped) break;
      if (isCsvRecordError(record)) {
        if (record.fatal === true || mapping === undefined) {
          stop(out, record.line, mapping === undefined && record.fatal !== true ? `the header cannot be read: ${record.error}` : record.error);
          continue;
        }
        dataRows++;
        if (record.line > resumeAfter) out.push({ kind: 'rejected', line: record.line, errors: [{ field: 'row', message: record.error }] });
        continue;
      }
      if (mapping === undefined) {
        mapping = mapHeader(record.fields, aliases, rules.required);
        if (mapping.missingRequired.length > 0) {
          const missing = mapping.missingRequired
            .map((field) => `${field} (a column named ${[field, ...(aliases[field] ?? [])].map((name) => JSON.stringify(name)).join(' or ')})`)
            .join('; ');
          stop(out, record.line, `the header has no column for ${missing}`);
        }
        continue;
      }
      dataRows++;
      if (record.line <= resumeAfter) continue;
      const row = rowToFields(record, mapping);
      if (!row.ok) {
        out.push({ kind: 'rejected', line: record.line, errors: row.errors, fields: record.fields });
        continue;
      }
      const result = validateLeadInput(row.fields, rules);
      if (result.ok) out.push({ kind: 'lead', line: record.line, lead: result.lead, attribution: result.attribution });
      else out.push({ kind: 'rejected', line: record.line, errors: result.errors, fields: record.fields });
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
      if (mapping === undefined) out.push({ kind: 'file-error', line: 1, message: 'the file is empty: it has no header row and no data' });
      else if (dataRows === 0) out.push({ kind: 'file-error', line: 1, message: 'the file has a header row but no data rows' });
      return out;
    },
    get mapping(): HeaderMapping | undefined {
      return mapping;
    },
  };
}
