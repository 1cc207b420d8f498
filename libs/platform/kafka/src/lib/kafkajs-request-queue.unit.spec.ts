import { kafkajsRequestQueue, tuneKafkajsRequestQueue } from './kafkajs-request-queue';

const RequestQueue = kafkajsRequestQueue() as unknown as {
  new (args: object): Queue;
  prototype: { scheduleCheckPendingRequests(): void };
};
const original = RequestQueue.prototype.scheduleCheckPendingRequests;

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  destroy(): void;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const queues: Queue[] = [];

function newQueue(): Queue {
  const queue = new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1_000, enforceRequestTimeout: true, clientId: 'unit', broker: 'localhost:1', logger: silent, isConnected: () => true });
  queues.push(queue);
  return queue;
}

afterEach(() => {
  for (const queue of queues.splice(0)) queue.destroy();
  RequestQueue.prototype.scheduleCheckPendingRequests = original;
  delete (RequestQueue.prototype as unknown as Record<symbol, unknown>)[Symbol.for('leadstream.kafkajs-request-queue-tuned')];
});

describe('tuneKafkajsRequestQueue', () => {
  it('kafkajs itself arms a timer on an idle queue (the behaviour being replaced)', () => {
    const queue = newQueue();
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
  });

  it('arms no timer while nothing is pending', () => {
    expect(tuneKafkajsRequestQueue(RequestQueue)).toBe(true);
    const queue = newQueue();
    queue.checkPendingRequests();
    queue.throttledUntil = Date.now() + 5_000;
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('checks pending requests again when a throttle ends, and soon when merely waiting for a slot', async () => {
    tuneKafkajsRequestQueue(RequestQueue);
    const throttled = newQueue();
    const throttledChecks: number[] = [];
    throttled.checkPendingRequests = () => void throttledChecks.push(Date.now());
    throttled.pending = [{}];
    const start = Date.now();
    throttled.throttledUntil = start + 150;
    throttled.scheduleCheckPendingRequests();
    throttled.scheduleCheckPendingRequests(); // already armed: still one check

    const waiting = newQueue();
    let waitingChecks = 0;
    waiting.checkPendingRequests = () => void (waitingChecks += 1);
    waiting.pending = [{}];
    waiting.scheduleCheckPendingRequests();

    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(waitingChecks).toBe(1);
    expect(throttledChecks).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(throttledChecks).toHaveLength(1);
    expect((throttledChecks[0] as number) - start).toBeGreaterThanOrEqual(140);
    expect(throttled.throttleCheckTimeoutId).toBeNull();
  });

  it('refuses a RequestQueue without the method it replaces', () => {
    expect(tuneKafkajsRequestQueue({ prototype: {} } as never)).toBe(false);
  });
});
