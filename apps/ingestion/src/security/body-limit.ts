/** Default largest JSON / form body: room for a 1,000-lead batch with long fields. */
export const DEFAULT_MAX_BODY = '5mb';

/** INGESTION_MAX_BODY ('5mb', '512kb', '1000000'...): the largest JSON or form body; larger ones get 413. */
export function readBodyLimit(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env['INGESTION_MAX_BODY']?.trim();
  if (raw === undefined || raw === '') return DEFAULT_MAX_BODY;
  if (!/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i.test(raw)) {
    throw new Error(`INGESTION_MAX_BODY must be a size such as '5mb', '512kb' or a number of bytes, got '${raw}'`);
  }
  return raw.toLowerCase().replace(/\s+/g, '');
}
