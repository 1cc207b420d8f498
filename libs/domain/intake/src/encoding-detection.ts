/**
 * The text encodings a CSV file of leads may be in. UTF-8 is what current tools write; Windows-1252 and
 * ISO-8859-1 are what older spreadsheet exports in Western European locales write. All three keep ASCII
 * as it is, so quotes, delimiters and line ends are found in the bytes the same way.
 */
export const CSV_ENCODINGS = ['utf-8', 'windows-1252', 'iso-8859-1'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

const LABELS: Readonly<Record<string, CsvEncoding>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  // ASCII is a subset of UTF-8: a file that really is ASCII reads the same.
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'x-cp1252': 'windows-1252',
  win1252: 'windows-1252',
  'iso-8859-1': 'iso-8859-1',
  'iso8859-1': 'iso-8859-1',
  iso88591: 'iso-8859-1',
  'iso_8859-1': 'iso-8859-1',
  latin1: 'iso-8859-1',
  'latin-1': 'iso-8859-1',
  l1: 'iso-8859-1',
  cp819: 'iso-8859-1',
  ibm819: 'iso-8859-1',
};

/** The encoding a charset label names (`UTF-8`, `cp1252`, `latin1`, ..., case-insensitive), or undefined. */
export function csvEncodingFromLabel(label: string): CsvEncoding | undefined {
  const key = label.trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  return Object.prototype.hasOwnProperty.call(LABELS, key) ? LABELS[key] : undefined;
}

export interface EncodingVerdict {
  readonly encoding: CsvEncoding;
  /** Why: the bytes are valid UTF-8, or where they first are not. */
  readonly reason: string;
}

export interface EncodingSniffer {
  /** Feeds the next bytes of the file (any chunk sizes). */
  push(chunk: Uint8Array): void;
  /** The verdict on all the bytes pushed, taken as the whole file. */
  result(): EncodingVerdict;
}

/** Bytes that Windows-1252 leaves undefined; a file holding one is ISO-8859-1 (where they are controls). */
function undefinedInWindows1252(b: number): boolean {
  return b === 0x81 || b === 0x8d || b === 0x8f || b === 0x90 || b === 0x9d;
}

/** The index of the first byte at or after `from` that is not ASCII (`chunk.length` if none), four bytes at a time where aligned. */
function asciiRunEnd(chunk: Uint8Array, from: number): number {
  const n = chunk.length;
  let i = from;
  while (i < n && (chunk.byteOffset + i) % 4 !== 0) {
    if ((chunk[i] as number) >= 0x80) return i;
    i++;
  }
  const wordCount = (n - i) >> 2;
  if (wordCount > 0) {
    const words = new Uint32Array(chunk.buffer, chunk.byteOffset + i, wordCount);
    let w = 0;
    while (w < wordCount && ((words[w] as number) & 0x80808080) === 0) w++;
    i += w * 4;
  }
  while (i < n && (chunk[i] as number) < 0x80) i++;
  return i;
}

/**
 * Tells the encoding of a file from all of its bytes, incrementally: UTF-8 when the bytes are valid UTF-8
 * (strictly: no overlong forms, surrogates or sequences cut off at the end); otherwise Windows-1252, the
 * superset of ISO-8859-1's printable characters that spreadsheet exports use, unless a byte that
 * Windows-1252 leaves undefined occurs, which only ISO-8859-1 gives a meaning. Any byte sequence is
 * valid in those two, so the verdict is never "unknown".
 */
export function createEncodingSniffer(): EncodingSniffer {
  let offset = 0; // bytes pushed before the current chunk
  let invalidAt = -1; // first byte offset where UTF-8 breaks
  let sawUndefined1252 = false;
  // UTF-8 sequence in progress: continuation bytes still needed, and the bounds of the next one.
  let needed = 0;
  let low = 0x80;
  let high = 0xbf;
  let sequenceStart = 0; // offset of the lead byte of the sequence in progress
  let sequenceHasUndefined1252 = false;

  return {
    push(chunk: Uint8Array): void {
      const n = chunk.length;
      if (sawUndefined1252) {
        offset += n;
        return;
      }
      let i = 0;
      if (invalidAt < 0) {
        for (; i < n; i++) {
          const b = chunk[i] as number;
          if (needed === 0) {
            if (b < 0x80) {
              // Most of a file is ASCII: skip runs of it a word at a time.
              i = asciiRunEnd(chunk, i) - 1;
              continue;
            }
            sequenceStart = offset + i;
            sequenceHasUndefined1252 = false;
            if (b >= 0xc2 && b <= 0xdf) {
              needed = 1;
            } else if (b >= 0xe0 && b <= 0xef) {
              needed = 2;
              if (b === 0xe0) low = 0xa0;
              else if (b === 0xed) high = 0x9f;
            } else if (b >= 0xf0 && b <= 0xf4) {
              needed = 3;
              if (b === 0xf0) low = 0x90;
              else if (b === 0xf4) high = 0x8f;
            } else {
              invalidAt = offset + i;
              break;
            }
          } else {
            if (b < low || b > high) {
              invalidAt = sequenceStart;
              sawUndefined1252 = sequenceHasUndefined1252;
              break;
            }
            if (undefinedInWindows1252(b)) sequenceHasUndefined1252 = true;
            low = 0x80;
            high = 0xbf;
            needed--;
          }
        }
      }
      if (invalidAt >= 0 && !sawUndefined1252) {
        for (; i < n; i++) {
          if (undefinedInWindows1252(chunk[i] as number)) {
            sawUndefined1252 = true;
            break;
          }
        }
      }
      offset += n;
    },

    result(): EncodingVerdict {
      const brokenAt = invalidAt >= 0 ? invalidAt : needed > 0 ? sequenceStart : -1;
      if (brokenAt < 0) return { encoding: 'utf-8', reason: 'the bytes are valid UTF-8' };
      if (sawUndefined1252 || (invalidAt < 0 && sequenceHasUndefined1252)) {
        return { encoding: 'iso-8859-1', reason: `the bytes are not UTF-8 (from byte ${brokenAt}) and hold bytes Windows-1252 leaves undefined` };
      }
      return { encoding: 'windows-1252', reason: `the bytes are not UTF-8 (from byte ${brokenAt})` };
    },
  };
}
