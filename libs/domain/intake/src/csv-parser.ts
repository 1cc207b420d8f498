import { decode as decodeWithTable } from 'iconv-lite';
import type { CsvEncoding } from './encoding-detection';

/** One CSV record: its fields, and the 1-based physical line it starts on. */
export interface CsvRow {
  readonly line: number;
  readonly fields: string[];
}

/**
 * A record that could not be read. `fatal` marks the end of the file as far as the parser is concerned
 * (a binary file): nothing after it is returned.
 */
export interface CsvRecordError {
  readonly line: number;
  readonly error: string;
  readonly fatal?: true;
}

export type CsvRecord = CsvRow | CsvRecordError;

export function isCsvRecordError(record: CsvRecord): record is CsvRecordError {
  return (record as CsvRecordError).error !== undefined;
}

export interface CsvParserOptions {
  /** One ASCII character other than a quote, CR or LF. Default `,`. */
  readonly delimiter?: string;
  /**
   * The file's text encoding. Default UTF-8, decoded strictly (a record that is not UTF-8 is an error
   * record); Windows-1252 and ISO-8859-1 decode every byte. The limits count bytes either way.
   */
  readonly encoding?: CsvEncoding;
  /** Longest field, in bytes of UTF-8 (quotes excluded). Default 65,536. */
  readonly maxFieldBytes?: number;
  /** Longest record, in bytes, line ends inside quotes included. Default 1,048,576. */
  readonly maxRecordBytes?: number;
  /**
   * Bytes looked at for signs of a binary file before the first record is returned, so that the verdict
   * does not depend on chunk sizes. Default 4,096; at least 8.
   */
  readonly sniffBytes?: number;
  /**
   * Records after the first (the header) that start on this line or before it are scanned but neither
   * decoded nor returned, errors included: a resumed import needs the header and the lines after the
   * ones it already handled, and decoding is most of the cost of a record. Default 0 (none skipped).
   */
  readonly skipThroughLine?: number;
}

export interface CsvParser {
  /** Feeds the next bytes; returns the records completed by them (possibly none). */
  push(chunk: Uint8Array): CsvRecord[];
  /** Declares the end of the input; returns the last record, or the error of an unterminated quote. */
  end(): CsvRecord[];
  /** Bytes held between pushes: the record in progress (or the first bytes, while sniffing). */
  readonly bufferedBytes: number;
}

export const DEFAULT_MAX_FIELD_BYTES = 65_536;
export const DEFAULT_MAX_RECORD_BYTES = 1_048_576;

const DEFAULT_SNIFF_BYTES = 4096;

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

// Byte classes (one table look-up per byte keeps the inner loop short).
const ORDINARY = 0;
const DELIMITER = 1;
const QUOTE_CLASS = 2;
const LINE_END = 3;
const NUL = 4;

// Scanner states. The two frequent ones are the lowest so the ordinary-byte path is one comparison.
const UNQUOTED = 0;
const QUOTED = 1;
const FIELD_START = 2;
const AFTER_QUOTE = 3; // a quote seen inside a quoted field: the closing one, or the first of a doubled pair

const MAGIC: readonly { readonly bytes: readonly number[]; readonly what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an Excel .xlsx workbook?); export it as CSV' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an Office document (an Excel .xls workbook?); export it as CSV' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x1f, 0x8b], what: 'gzip-compressed; decompress it first' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

/**
 * Why the first bytes of a file show it is not CSV text, or `undefined` when they look like text.
 * Looks for well-known file signatures, UTF-16 byte-order marks, NUL bytes and a high share of control
 * characters. Pass the first few kilobytes.
 */
export function detectBinary(firstBytes: Uint8Array): string | undefined {
  if (startsWith(firstBytes, [0xff, 0xfe]) || startsWith(firstBytes, [0xfe, 0xff])) {
    return 'the file is UTF-16 text; save it as UTF-8 CSV';
  }
  for (const { bytes, what } of MAGIC) {
    if (startsWith(firstBytes, bytes)) return `the file is binary, not CSV text: it is ${what}`;
  }
  let control = 0;
  for (let i = 0; i < firstBytes.length; i++) {
    const b = firstBytes[i] as number;
    if (b === 0) return `the file is binary, not CSV text: it contains a NUL byte (at byte ${i})`;
    // Tab, LF, VT, FF, CR and ESC turn up in text; the other C0 controls do not.
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) control++;
  }
  if (firstBytes.length > 0 && control / firstBytes.length > 0.05) {
    return `the file is binary, not CSV text: ${control} of its first ${firstBytes.length} bytes are control characters`;
  }
  return undefined;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * A streaming RFC 4180 parser: a push state machine over bytes. Holds only the record in progress
 * (bounded by `maxRecordBytes`), so memory stays flat whatever the file size.
 *
 * - Quoted fields may hold delimiters, doubled quotes and line ends (CRLF, LF or CR).
 * - `line` is the physical line a record starts on; line ends inside quotes count as lines.
 * - A UTF-8 byte-order mark at the start is dropped; empty lines are skipped.
 * - Each record is decoded as strict UTF-8; a record that is not gives an error record, the rest go on.
 * - A field or record over its limit gives an error record; its bytes are dropped as they arrive and
 *   parsing resumes at the next record.
 * - A binary file (NUL bytes, a known binary signature) gives one fatal error record and nothing more.
 */
export function createCsvParser(options: CsvParserOptions = {}): CsvParser {
  const delimiter = options.delimiter ?? ',';
  const delimiterCode = delimiter.charCodeAt(0);
  if (delimiter.length !== 1 || delimiterCode > 0x7f || delimiterCode === QUOTE || delimiterCode === CR || delimiterCode === LF || delimiterCode === 0) {
    throw new RangeError(`delimiter must be one ASCII character other than a quote or a line end, got ${JSON.stringify(delimiter)}`);
  }
  const maxFieldBytes = positiveInteger(options.maxFieldBytes, DEFAULT_MAX_FIELD_BYTES, 'maxFieldBytes');
  const maxRecordBytes = positiveInteger(options.maxRecordBytes, DEFAULT_MAX_RECORD_BYTES, 'maxRecordBytes');
  const sniffBytes = Math.max(8, positiveInteger(options.sniffBytes, DEFAULT_SNIFF_BYTES, 'sniffBytes'));
  const skipThroughLine = options.skipThroughLine ?? 0;
  if (!Number.isSafeInteger(skipThroughLine) || skipThroughLine < 0) throw new RangeError(`skipThroughLine must be a line number or 0, got ${skipThroughLine}`);

  const byteClass = new Uint8Array(256);
  byteClass[delimiterCode] = DELIMITER;
  byteClass[QUOTE] = QUOTE_CLASS;
  byteClass[CR] = LINE_END;
  byteClass[LF] = LINE_END;
  byteClass[0] = NUL;

  const encoding = options.encoding ?? 'utf-8';
  const decoder = textDecoder(encoding);

  let buf = new Uint8Array(Math.max(sniffBytes * 2, 16_384));
  let len = 0; // bytes held in buf
  let pos = 0; // next byte to scan

  let sniffed = false;
  let finished = false; // a fatal error, or end() called

  let line = 1; // physical line of `pos`
  let recordStart = 0;
  let recordLine = 1;
  let recordQuoted = false; // some field of the record is quoted: decode field by field
  let recordError: string | undefined;
  let recordDropped = false; // bytes of this (failed) record were discarded
  let crAtEnd = false; // the last byte scanned was a CR: an LF first in the next chunk belongs to it

  let state = FIELD_START;
  let fieldStart = 0;
  let fieldEscaped = false;
  let quoteLine = 1;
  // Content ranges of the record's finished fields (only read for records with quoted fields).
  const starts: number[] = [];
  const ends: number[] = [];
  const escaped: boolean[] = [];
  let fieldCount = 0;
  let headerDone = false; // the first record was returned: later ones may be skipped

  function fail(message: string): void {
    if (recordError === undefined) recordError = message;
  }

  function endField(end: number): void {
    let contentStart = fieldStart;
    let contentEnd = end;
    if (state === AFTER_QUOTE) {
      contentStart = fieldStart + 1;
      contentEnd = end - 1;
    }
    if (recordError === undefined && contentEnd - contentStart > maxFieldBytes) {
      fail(`field ${fieldCount + 1} is longer than ${maxFieldBytes} bytes at line ${recordLine}`);
    }
    starts[fieldCount] = contentStart;
    ends[fieldCount] = contentEnd;
    escaped[fieldCount] = fieldEscaped;
    fieldCount++;
  }

  function decodeRecord(end: number): string[] {
    if (!recordQuoted) return decoder.decode(buf.subarray(recordStart, end)).split(delimiter);
    const fields = new Array<string>(fieldCount);
    for (let i = 0; i < fieldCount; i++) {
      const text = decoder.decode(buf.subarray(starts[i] as number, ends[i] as number));
      fields[i] = escaped[i] ? text.replace(/""/g, '"') : text;
    }
    return fields;
  }

  function endRecord(end: number, out: CsvRecord[]): void {
    if (recordError === undefined && !recordDropped && end - recordStart > maxRecordBytes) {
      fail(`the record is longer than ${maxRecordBytes} bytes at line ${recordLine}`);
    }
    if (headerDone && recordLine <= skipThroughLine) {
      // skipped: neither decoded nor returned
    } else if (recordError !== undefined) {
      out.push({ line: recordLine, error: recordError });
    } else {
      try {
        out.push({ line: recordLine, fields: decodeRecord(end) });
      } catch {
        out.push({ line: recordLine, error: `invalid UTF-8 at line ${recordLine}` });
      }
    }
    headerDone = true;
    recordError = undefined;
    recordDropped = false;
    recordQuoted = false;
    fieldCount = 0;
  }

  function startRecord(at: number): void {
    recordStart = at;
    recordLine = line;
    fieldStart = at;
    fieldEscaped = false;
    state = FIELD_START;
  }

  function fatal(message: string, out: CsvRecord[]): CsvRecord[] {
    out.push({ line: recordLine, error: message, fatal: true });
    finished = true;
    len = 0;
    pos = 0;
    return out;
  }

  function scan(out: CsvRecord[]): void {
    const bytes = buf;
    const limit = len;
    const classes = byteClass;
    if (crAtEnd && pos < limit) {
      crAtEnd = false;
      if (bytes[pos] === LF) {
        if (recordStart === pos) {
          recordStart++;
          fieldStart++;
        }
        pos++;
      }
    }
    for (; pos < limit; pos++) {
      const cls = classes[bytes[pos] as number];
      if (cls === ORDINARY) {
        if (state >= FIELD_START) {
          if (state === AFTER_QUOTE) fail(`unexpected text after a closing quote in field ${fieldCount + 1} at line ${recordLine}`);
          state = UNQUOTED;
        }
        continue;
      }
      switch (cls) {
        case DELIMITER:
          if (state === QUOTED) break;
          endField(pos);
          state = FIELD_START;
          fieldStart = pos + 1;
          fieldEscaped = false;
          break;
        case QUOTE_CLASS:
          if (state === FIELD_START) {
            state = QUOTED;
            recordQuoted = true;
            quoteLine = line;
          } else if (state === QUOTED) {
            state = AFTER_QUOTE;
          } else if (state === AFTER_QUOTE) {
            state = QUOTED;
            fieldEscaped = true;
          }
          // A quote inside an unquoted field is kept as text.
          break;
        case LINE_END: {
          const isCr = bytes[pos] === CR;
          let next = pos + 1;
          if (isCr) {
            if (next < limit) {
              if (bytes[next] === LF) next++;
            } else {
              crAtEnd = true;
            }
          }
          if (state === QUOTED) {
            line++;
            pos = next - 1;
            break;
          }
          if (state === FIELD_START && fieldCount === 0 && pos === recordStart && recordError === undefined && !recordDropped) {
            // An empty line.
            line++;
            pos = next - 1;
            startRecord(next);
            break;
          }
          endField(pos);
          endRecord(pos, out);
          line++;
          pos = next - 1;
          startRecord(next);
          break;
        }
        case NUL:
          // Text never holds NUL; a file that does is binary and nothing after this point can be trusted.
          recordLine = line;
          throw new BinaryInput(`the file is binary, not CSV text: it contains a NUL byte at line ${line}`);
      }
    }
  }

  function compact(): void {
    // A failed record's bytes are never decoded: drop them as they arrive so memory stays bounded.
    const fieldTooLong = state !== QUOTED && state !== UNQUOTED ? false : len - fieldStart > maxFieldBytes + 2;
    if (recordError === undefined && (len - recordStart > maxRecordBytes || fieldTooLong)) {
      fail(
        fieldTooLong
          ? `field ${fieldCount + 1} is longer than ${maxFieldBytes} bytes at line ${recordLine}`
          : `the record is longer than ${maxRecordBytes} bytes at line ${recordLine}`,
      );
    }
    if (recordError !== undefined && len > recordStart) {
      len = recordStart;
      pos = len;
      fieldStart = len;
      recordDropped = true;
    }
    if (recordStart > 0) {
      const shift = recordStart;
      buf.copyWithin(0, shift, len);
      len -= shift;
      pos -= shift;
      fieldStart -= shift;
      recordStart = 0;
      for (let i = 0; i < fieldCount; i++) {
        starts[i] = (starts[i] as number) - shift;
        ends[i] = (ends[i] as number) - shift;
      }
    }
  }

  function append(chunk: Uint8Array): void {
    if (len + chunk.length > buf.length) {
      const grown = new Uint8Array(Math.max(buf.length * 2, len + chunk.length));
      grown.set(buf.subarray(0, len));
      buf = grown;
    }
    buf.set(chunk, len);
    len += chunk.length;
  }

  function sniff(out: CsvRecord[]): boolean {
    sniffed = true;
    const problem = detectBinary(buf.subarray(0, Math.min(len, sniffBytes)));
    if (problem !== undefined) {
      fatal(problem, out);
      return false;
    }
    if (len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      pos = 3;
      startRecord(3);
    }
    return true;
  }

  function run(out: CsvRecord[]): CsvRecord[] {
    try {
      scan(out);
    } catch (error) {
      if (error instanceof BinaryInput) return fatal(error.message, out);
      throw error;
    }
    return out;
  }

  return {
    push(chunk: Uint8Array): CsvRecord[] {
      const out: CsvRecord[] = [];
      if (finished || chunk.length === 0) return out;
      append(chunk);
      if (!sniffed) {
        if (len < sniffBytes) return out;
        if (!sniff(out)) return out;
      }
      run(out);
      if (!finished) compact();
      return out;
    },

    end(): CsvRecord[] {
      const out: CsvRecord[] = [];
      if (finished) return out;
      if (!sniffed) {
        if (!sniff(out)) return out;
        run(out);
        if (finished) return out;
      }
      finished = true;
      if (state === QUOTED) {
        out.push({ line: recordLine, error: `unterminated quoted field: the quote opened at line ${quoteLine} is never closed` });
      } else if (len > recordStart || recordDropped || fieldCount > 0) {
        endField(len);
        endRecord(len, out);
      }
      len = 0;
      return out;
    },

    get bufferedBytes(): number {
      return len;
    },
  };
}

class BinaryInput extends Error {}

interface RecordDecoder {
  decode(bytes: Uint8Array): string;
}

/**
 * UTF-8 goes through the platform's strict decoder; the single-byte encodings through iconv-lite's
 * tables. Each record is a complete byte range, so no decoder has to carry state between records.
 */
function textDecoder(encoding: CsvEncoding): RecordDecoder {
  switch (encoding) {
    case 'utf-8':
      return new TextDecoder('utf-8', { fatal: true });
    case 'windows-1252':
    case 'iso-8859-1':
      return { decode: (bytes) => decodeWithTable(bytes, encoding) };
    default: {
      const unknown: never = encoding;
      throw new RangeError(`encoding must be one of utf-8, windows-1252, iso-8859-1, got ${JSON.stringify(unknown)}`);
    }
  }
}
