// What the CSV import integration specs share: the shape of an import's status and of the records read
// back from Kafka, and the HTTP calls and waits around them. (Not a test file: Jest's projects match
// *.unit.spec.ts and *.int.spec.ts.)
import { topicFor } from '@leadstream/contracts';
import { until } from '@leadstream/testing';

/** GET /v1/imports/:id. */
export interface ImportStatus {
  importId: string;
  status: 'running' | 'completed' | 'failed';
  rowsRead: number;
  accepted: number;
  rejected: number;
  progress: number;
  startedAt: string;
  finishedAt?: string;
  note?: string;
  error?: string;
  fileName?: string;
  encoding: string;
  encodingSource: 'charset' | 'detected';
  delimiter?: string;
  delimiterName?: string;
}

/** A record read from Kafka; the csv channel's fields (importId, line) are read by name. */
export interface SeenRecord {
  readonly topic: string;
  readonly key?: string;
  readonly event: { type: string; data: Record<string, unknown>; metadata: { eventId: string; leadId: string } };
}

/** The topics an import publishes to: the bulk lane (docs/adr/0008-bulk-lane.md). */
export const IMPORTED = topicFor('lead.received', 'bulk');
export const IMPORT_REJECTED = topicFor('lead.rejected', 'bulk');

/** Imports take longer than a request: waits last up to 60,000 ms unless told otherwise. */
export const IMPORT_WAIT_MS = 60_000;

/** The import id of a POST /v1/imports answer; throws with `what` and the answer unless it is 202. */
export async function importIdOf(response: Response, what = 'POST /v1/imports'): Promise<string> {
  const text = await response.text();
  if (response.status !== 202) throw new Error(`${what} answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { importId: string }).importId;
}

/** GET /v1/imports/:id on `baseUrl`; throws unless it answers 200. */
export async function importStatus(baseUrl: string, importId: string, headers: Record<string, string>): Promise<ImportStatus> {
  const response = await fetch(`${baseUrl}/v1/imports/${importId}`, { headers });
  if (response.status !== 200) throw new Error(`GET /v1/imports/${importId} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as ImportStatus;
}

/** Waits until the import on `baseUrl` is no longer running (up to IMPORT_WAIT_MS); answers its final status. */
export function importFinished(baseUrl: string, importId: string, headers: Record<string, string>): Promise<ImportStatus> {
  return until(
    async () => {
      const current = await importStatus(baseUrl, importId, headers);
      return current.status === 'running' ? undefined : current;
    },
    `import ${importId} to finish`,
    IMPORT_WAIT_MS,
  );
}

/** The records of one import among `records` (of one topic, if given). */
export function recordsOfImport(records: readonly SeenRecord[], importId: string, topic?: string): SeenRecord[] {
  return records.filter((record) => record.event.data['importId'] === importId && (topic === undefined || record.topic === topic));
}

/** Waits until `records()` holds `count` records of the import, then `settleMs` more to catch any extra one. */
export async function kafkaRecordsOfImport(
  records: () => readonly SeenRecord[],
  importId: string,
  count: number,
  settleMs: number,
  timeoutMs = IMPORT_WAIT_MS,
): Promise<SeenRecord[]> {
  await until(async () => (recordsOfImport(records(), importId).length >= count ? true : undefined), `${count} records of import ${importId} on Kafka`, timeoutMs);
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return recordsOfImport(records(), importId);
}
