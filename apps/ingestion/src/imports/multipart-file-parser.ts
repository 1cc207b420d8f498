/**
 * A streaming multipart/form-data reader that extracts one file part (by field name) and hands its
 * bytes on as they arrive; other parts are skipped. Holds at most one part's headers (bounded) and a
 * delimiter's length of bytes, whatever the size of the upload.
 */
export class MultipartError extends Error {
  override readonly name = 'MultipartError';
}

/** The boundary of a `multipart/form-data; boundary=...` content type, or undefined when it has none. */
export function multipartBoundary(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

const MAX_HEADER_BYTES = 16 * 1024;

// Browsers and HTTP clients send a file name in UTF-8 within headers read here as latin1 text.
function utf8IfValid(latin1: string): string {
  const bytes = Buffer.from(latin1, 'latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return latin1;
  }
}
const CRLFCRLF = Buffer.from('\r\n\r\n');

type State = 'preamble' | 'headers' | 'body' | 'after-boundary' | 'done';

export interface MultipartFileParser {
  /** Feeds the next bytes of the request body; returns bytes of the file part completed by them. */
  push(chunk: Buffer): Buffer[];
  /** The end of the body: throws MultipartError when the file part never came or was cut short. */
  end(): void;
  /** The file name the client gave (Content-Disposition filename), once the file part started. */
  readonly fileName: string | undefined;
  /** The file part's own Content-Type header (which may name a charset), once the file part started. */
  readonly contentType: string | undefined;
}

export function createMultipartFileParser(boundary: string, fieldName = 'file'): MultipartFileParser {
  // The first delimiter may come at the very start (no CRLF before it); later ones follow a CRLF.
  const firstDelimiter = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let state: State = 'preamble';
  let pending: Buffer = Buffer.alloc(0);
  let inFile = false;
  let fileSeen = false;
  let fileDone = false;
  let fileName: string | undefined;
  let contentType: string | undefined;

  function parseHeaders(text: string): void {
    const disposition = /^content-disposition:(.*)$/im.exec(text)?.[1] ?? '';
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1] ?? /;\s*name=([^;\s]+)/i.exec(disposition)?.[1];
    inFile = !fileSeen && name === fieldName;
    if (inFile) {
      fileSeen = true;
      const given = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1] ?? /;\s*filename=([^;\s]+)/i.exec(disposition)?.[1];
      fileName = given === undefined ? undefined : utf8IfValid(given);
      contentType = /^content-type:(.*)$/im.exec(text)?.[1]?.trim();
    }
  }

  return {
    get fileName() {
      return fileName;
    },
    get contentType() {
      return contentType;
    },
    push(chunk: Buffer): Buffer[] {
      const out: Buffer[] = [];
      if (state === 'done') return out;
      let data = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      pending = Buffer.alloc(0);
      for (;;) {
        if (state === 'preamble') {
          const at = data.indexOf(firstDelimiter);
          if (at < 0) {
            // Keep just enough to find a delimiter split across chunks.
            pending = Buffer.from(data.subarray(Math.max(0, data.length - firstDelimiter.length + 1)));
            return out;
          }
          data = data.subarray(at + firstDelimiter.length);
          state = 'after-boundary';
        }
        if (state === 'after-boundary') {
          if (data.length < 2) {
            pending = Buffer.from(data);
            return out;
          }
          if (data[0] === 0x2d && data[1] === 0x2d) {
            state = 'done';
            return out;
          }
          // Transport padding (spaces/tabs) may precede the CRLF that ends the delimiter line.
          const eol = data.indexOf('\r\n');
          if (eol < 0) {
            if (data.length > 256) throw new MultipartError('malformed multipart body: a boundary line does not end');
            pending = Buffer.from(data);
            return out;
          }
          data = data.subarray(eol + 2);
          state = 'headers';
        }
        if (state === 'headers') {
          const end = data.indexOf(CRLFCRLF);
          if (end < 0) {
            if (data.length > MAX_HEADER_BYTES) throw new MultipartError(`malformed multipart body: part headers longer than ${MAX_HEADER_BYTES} bytes`);
            pending = Buffer.from(data);
            return out;
          }
          parseHeaders(data.subarray(0, end).toString('latin1'));
          data = data.subarray(end + 4);
          state = 'body';
        }
        if (state === 'body') {
          const at = data.indexOf(delimiter);
          if (at < 0) {
            // Everything but a possible delimiter start at the tail is part content.
            const keep = Math.min(data.length, delimiter.length - 1);
            const content = data.subarray(0, data.length - keep);
            if (inFile && content.length > 0) out.push(Buffer.from(content));
            pending = Buffer.from(data.subarray(data.length - keep));
            return out;
          }
          if (inFile && at > 0) out.push(Buffer.from(data.subarray(0, at)));
          if (inFile) fileDone = true;
          inFile = false;
          data = data.subarray(at + delimiter.length);
          state = 'after-boundary';
        }
      }
    },
    end(): void {
      if (!fileSeen) throw new MultipartError(`the multipart upload has no part named "${fieldName}"; send the CSV file in a field called ${fieldName}`);
      if (!fileDone) throw new MultipartError('the multipart upload ended before the file part was complete (no closing boundary)');
    },
  };
}
