import { createHash } from 'node:crypto';

// Canonical lower-case form, RFC 4122 / RFC 9562 versions 1-8 with the RFC variant bits.
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** True for a UUID in canonical lower-case form (the form `crypto.randomUUID()` and Postgres print). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** Namespace of every Leadstream name-based id. Never change it: ids already in event logs depend on it. */
export const LEADSTREAM_NAMESPACE = '14621dce-4e62-47ac-83be-df672f8347ca';

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
export function uuidV5(name: string, namespace: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(namespace)) {
    throw new TypeError(`namespace ${JSON.stringify(namespace)} is not a UUID`);
  }
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const digest = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x50, 6); // version 5
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8); // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the event a stage produces in reaction to `causeEventId` (DESIGN.md rule 2):
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
