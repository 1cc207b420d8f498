import { randomUUID } from 'node:crypto';
import { mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CSV_ENCODINGS, createEncodingSniffer, csvEncodingFromLabel, type CsvEncoding } from '@leadstream/domain-intake';
import { collectYoungGarbage } from '@leadstream/platform-service';
import { createMultipartFileParser, multipartBoundary, MultipartError } from './multipart-file-parser';

/** Why an upload was refused; `status` is the HTTP status to answer with. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

export interface SpooledUpload {
  readonly importId: string;
  readonly filePath: string;
  readonly bytes: number;
  readonly originalName?: string;
  /** The file's encoding: named by a charset parameter, else detected from all of its bytes. */
  readonly encoding: CsvEncoding;
  readonly encodingSource: 'charset' | 'detected';
}

// After an upload passed the limit, the rest of the body is read and dropped (so the client, still
// sending, gets to read the 413) up to this many bytes; beyond, the connection is closed.
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

// The socket's read buffers, already written to disk, are freed by a young-generation collection after
// every this many bytes received; without it they piled up by tens of megabytes during an upload.
const COLLECT_EVERY_BYTES = 8 * 1024 * 1024;

export const CSV_CONTENT_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];

function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * The encoding a Content-Type's `charset` parameter names, undefined without one; 415 for a charset a
 * CSV import cannot read.
 */
export function charsetOf(contentType: string | undefined): CsvEncoding | undefined {
  const label = /;\s*charset\s*=\s*("[^"]*"|[^;\s]+)/i.exec(contentType ?? '')?.[1];
  if (label === undefined) return undefined;
  const encoding = csvEncodingFromLabel(label);
  if (encoding === undefined) {
    throw new UploadRefused(415, `the charset ${label.slice(0, 40)} cannot be imported; send the file in one of ${CSV_ENCODINGS.join(', ')} (or without a charset, to have it detected)`);
  }
  return encoding;
}

/** What the body of `POST /v1/imports` is, from its Content-Type; refuses anything else with 415. */
export function uploadKind(contentType: string | undefined): { kind: 'csv' } | { kind: 'multipart'; boundary: string } {
  const type = mediaType(contentType ?? '');
  if (CSV_CONTENT_TYPES.includes(type)) return { kind: 'csv' };
  if (type === 'multipart/form-data') {
    const boundary = multipartBoundary(contentType ?? '');
    if (!boundary) throw new UploadRefused(400, 'multipart/form-data needs a boundary parameter in Content-Type');
    return { kind: 'multipart', boundary };
  }
  throw new UploadRefused(
    415,
    `POST /v1/imports takes a CSV file as a text/csv body or a multipart/form-data upload (field "file"), got Content-Type ${contentType ? JSON.stringify(contentType) : '(none)'}`,
  );
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  return `${bytes} bytes`;
}

/**
 * Writes the uploaded file to `<directory>/<importId>.csv` as it arrives (never holding it in memory),
 * counting bytes against `maxBytes`, and fsyncs it (and the directory) before returning: once this
 * resolves the upload survives a crash. A refused or broken upload leaves no file behind.
 */
export async function spoolUpload(
  body: AsyncIterable<Buffer>,
  options: { contentType: string | undefined; directory: string; maxBytes: number },
): Promise<SpooledUpload> {
  const kind = uploadKind(options.contentType);
  const declared = charsetOf(options.contentType);
  const sniffer = createEncodingSniffer();
  let partCharset: CsvEncoding | null | undefined; // null: the file part named none
  const multipart = kind.kind === 'multipart' ? createMultipartFileParser(kind.boundary) : undefined;
  await mkdir(options.directory, { recursive: true });
  const importId = randomUUID();
  const filePath = path.join(options.directory, `${importId}.csv`);
  const file = await open(filePath, 'wx', 0o600);
  let bytes = 0;
  let tooLarge = false;
  let closed = false;
  try {
    let received = 0;
    let collectedAt = 0;
    for await (const chunk of body) {
      received += chunk.length;
      if (received - collectedAt >= COLLECT_EVERY_BYTES) {
        collectedAt = received;
        collectYoungGarbage();
      }
      if (tooLarge) {
        if (received > options.maxBytes + DRAIN_LIMIT_BYTES) break;
        continue;
      }
      let parts: Buffer[];
      try {
        parts = multipart ? multipart.push(chunk) : [chunk];
      } catch (error) {
        if (error instanceof MultipartError) throw new UploadRefused(400, error.message);
        throw error;
      }
      // A charset the file part names is checked as soon as its headers are read, not after the whole file.
      if (multipart && partCharset === undefined && multipart.contentType !== undefined) partCharset = charsetOf(multipart.contentType) ?? null;
      for (const part of parts) {
        bytes += part.length;
        if (bytes > options.maxBytes) {
          tooLarge = true;
          break;
        }
        sniffer.push(part);
        await file.write(part);
      }
    }
    if (tooLarge) {
      throw new UploadRefused(413, `the file is larger than the import limit of ${formatBytes(options.maxBytes)} (INGESTION_MAX_IMPORT_BYTES); split it into smaller files`);
    }
    if (multipart) {
      try {
        multipart.end();
      } catch (error) {
        if (error instanceof MultipartError) throw new UploadRefused(400, error.message);
        throw error;
      }
    }
    // The file part's own Content-Type names its charset in a multipart upload.
    const named = multipart ? (partCharset ?? charsetOf(multipart.contentType) ?? declared) : declared;
    await file.sync();
    await file.close();
    closed = true;
    await syncDirectory(options.directory);
    const encoding = named ?? sniffer.result().encoding;
    return { importId, filePath, bytes, originalName: multipart?.fileName, encoding, encodingSource: named === undefined ? 'detected' : 'charset' };
  } catch (error) {
    if (!closed) await file.close().catch(() => undefined);
    await unlink(filePath).catch(() => undefined);
    throw error;
  }
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems cannot fsync a directory; the file itself is synced.
  } finally {
    await handle.close();
  }
}
