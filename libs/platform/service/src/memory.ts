// A Buffer that Node reads from a socket or a file lives outside V8's heap, but it is freed only when
// V8 collects the small Buffer object that points at it. V8 collects the young generation when that
// fills with JavaScript objects, and a loop that only moves bytes (an upload written to disk) makes
// few: while a large CSV file arrived, tens of MB of read buffers that were already written waited for
// a collection (docs/adr/0009-memory-peaks.md, measured in docs/benchmarks.md#memory-peaks). Such a
// loop calls collectYoungGarbage() every few megabytes.

type GcFunction = (options?: { type?: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

/**
 * Runs a young-generation collection (a scavenge: well under a millisecond with a 4 MB semi-space) when
 * the process was started with --expose-gc, as every service is (DEFAULT_SERVICE_NODE_FLAGS); returns
 * false, doing nothing, otherwise.
 */
export function collectYoungGarbage(): boolean {
  const gc = (globalThis as { gc?: GcFunction }).gc;
  if (typeof gc !== 'function') return false;
  gc({ type: 'minor' });
  return true;
}
