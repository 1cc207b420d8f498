import { hash } from 'node:crypto';

// Canonical lower-case form, RFC 4122 / RFC 9562 versions 1-8 with the RFC variant bits.
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** True for a UUID in canonical lower-case form (the form `crypto.randomUUID()` and Postgres print). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** Namespace of every Leadstream name-based id. Never change it: ids already in event logs depend on it. */
export const LEADSTREAM_NAMESPACE = '14621dce-4e62-47ac-83be-df672f8347ca';

// Parsed namespaces (there are only a few: LEADSTREAM_NAMESPACE and the ones tests use).
const namespaceBytes = new Map<string, Buffer>();

function parseNamespace(namespace: string): Buffer {
  let bytes = namespaceBytes.get(namespace);
  if (bytes === undefined) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(namespace)) {
      throw new TypeError(`namespace ${JSON.stringify(namespace)} is not a UUID`);
    }
    bytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
    if (namespaceBytes.size < 64) namespaceBytes.set(namespace, bytes);
  }
  return bytes;
}

const HEX = '0123456789abcdef';

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
// One-shot crypto.hash over namespace + name: this runs twice per CSV row and once per event a stage
// derives, and a Hash object per call cost more than the digest itself.
export function uuidV5(name: string, namespace: string): string {
  const ns = parseNamespace(namespace);
  const input = Buffer.allocUnsafe(16 + Buffer.byteLength(name, 'utf8'));
  ns.copy(input, 0);
  input.write(name, 16, 'utf8');
  const hex = hash('sha1', input, 'hex');
  // Version 5 in the high nibble of byte 6; the RFC 4122 variant (10xx) in the high bits of byte 8.
  const variant = HEX[(parseInt(hex[16] as string, 16) & 0x3) | 0x8] as string;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The id of the event a stage produces in reaction to `causeEventId` (docs/architecture.md, rule 2):
 * a retry of the same stage on the same input yields the same id, so the event log keeps it once.
 */
export function deriveEventId(causeEventId: string, stage: string): string {
  if (!isUuid(causeEventId)) {
    throw new TypeError(`causeEventId ${JSON.stringify(causeEventId)} is not a lower-case UUID`);
  }
  if (typeof stage !== 'string' || stage.length === 0) {
    throw new TypeError('stage must be a non-empty string such as "enrichment"');
  }
  return uuidV5(`${causeEventId}:${stage}`, LEADSTREAM_NAMESPACE);
}
