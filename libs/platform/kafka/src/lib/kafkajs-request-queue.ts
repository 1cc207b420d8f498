// kafkajs 2.2.4's RequestQueue (one per broker connection) re-arms a timer after every check of its
// pending queue, even when nothing is pending and nothing is throttled: the delay it computes is then
// `-1 - Date.now()`, which Node turns into 1 ms (and prints a TimeoutNegativeWarning once). So every
// open connection wakes the event loop about a thousand times a second for as long as it is open
// (kafkajs issues #1751 and #1704). New requests and responses call checkPendingRequests() themselves;
// the timer is only needed while requests wait, for the end of a broker-imposed throttle or a free
// in-flight slot.
//
// tuneKafkajsRequestQueue() replaces scheduleCheckPendingRequests on the prototype with one that arms
// the timer only while requests are pending: at the throttle's end when throttled, else after kafkajs's
// own check interval. See docs/adr/0005-service-memory.md.

interface RequestQueueInstance {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
}

interface RequestQueueClass {
  prototype: { scheduleCheckPendingRequests(this: RequestQueueInstance): void };
}

/** kafkajs checks a throttled queue again after this many ms (its CHECK_PENDING_REQUESTS_INTERVAL). */
export const CHECK_PENDING_INTERVAL_MS = 10;

const TUNED = Symbol.for('leadstream.kafkajs-request-queue-tuned');

/** kafkajs's RequestQueue class (internal module; kafkajs 2.x has no exports map). */
export function kafkajsRequestQueue(): RequestQueueClass {
  return require('kafkajs/src/network/requestQueue') as RequestQueueClass;
}

function scheduleCheckPendingRequests(this: RequestQueueInstance): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const throttledFor = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttledFor > 0 ? throttledFor : CHECK_PENDING_INTERVAL_MS,
  );
}

/**
 * Installs the scheduling that sleeps while nothing is pending, once per process. Returns false (and
 * changes nothing) when RequestQueue does not have the method this replaces.
 */
export function tuneKafkajsRequestQueue(queue: RequestQueueClass = kafkajsRequestQueue()): boolean {
  const proto = queue.prototype as RequestQueueClass['prototype'] & { [TUNED]?: boolean };
  if (proto[TUNED]) return true;
  if (typeof proto.scheduleCheckPendingRequests !== 'function') return false;
  proto.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  proto[TUNED] = true;
  return true;
}
