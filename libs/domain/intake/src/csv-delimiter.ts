/** The delimiters a CSV file of leads may use: what spreadsheet tools write, depending on the locale. */
export const CSV_DELIMITERS = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** How a delimiter is named in messages and status answers ("tab" rather than an invisible character). */
export function describeDelimiter(delimiter: string): string {
  if (delimiter === ',') return 'comma';
  if (delimiter === ';') return 'semicolon';
  if (delimiter === '\t') return 'tab';
  return JSON.stringify(delimiter);
}

/**
 * Where the first record (the header) ends in `bytes`: the index of its first line end outside quotes,
 * or -1 when the bytes hold no complete first line yet. A quote toggles the quoted state (a doubled quote
 * toggles twice), which is all RFC 4180 needs to tell a line end inside a field from one ending the record.
 * Empty lines before the header are skipped, as the parser skips them.
 */
export function headerLineEnd(bytes: Uint8Array): number {
  let quoted = false;
  let seenText = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === QUOTE) {
      quoted = !quoted;
      seenText = true;
    } else if ((b === LF || b === CR) && !quoted) {
      if (seenText) return i;
    } else {
      seenText = true;
    }
  }
  return -1;
}

/**
 * The delimiter of a CSV file, from its header line: the one of comma, semicolon and tab that occurs
 * most often outside quotes (a header such as `"Name, first";E-mail` is semicolon-separated). On a tie
 * the earlier of comma, semicolon, tab wins; a header with none of them (one column) is comma-separated.
 * Pass the header line's bytes (or the file's first bytes: counting stops at the header's end).
 */
export function detectCsvDelimiter(headerBytes: Uint8Array): CsvDelimiter {
  const counts = [0, 0, 0];
  const codes = CSV_DELIMITERS.map((delimiter) => delimiter.charCodeAt(0));
  let quoted = false;
  let seenText = false;
  for (let i = 0; i < headerBytes.length; i++) {
    const b = headerBytes[i] as number;
    if (b === QUOTE) {
      quoted = !quoted;
    } else if (!quoted) {
      if (b === LF || b === CR) {
        if (seenText) break;
        continue;
      }
      const at = codes.indexOf(b);
      if (at >= 0) counts[at] = (counts[at] as number) + 1;
    }
    seenText = true;
  }
  let best = 0;
  for (let i = 1; i < counts.length; i++) if ((counts[i] as number) > (counts[best] as number)) best = i;
  return CSV_DELIMITERS[best] as CsvDelimiter;
}
