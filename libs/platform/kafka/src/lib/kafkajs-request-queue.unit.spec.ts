// kafkajs's RequestQueue, installed (with patches/kafkajs+2.2.4.patch) and as published.
import { kafkajsModule } from './kafkajs-upstream';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  destroy(): void;
}
type RequestQueueClass = new (args: object) => Queue;

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const queues: Queue[] = [];

function newQueue(from: 'installed' | 'upstream'): Queue {
  const RequestQueue = kafkajsModule<RequestQueueClass>('src/network/requestQueue', from);
  const queue = new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1_000, enforceRequestTimeout: true, clientId: 'unit', broker: 'localhost:1', logger: silent, isConnected: () => true });
  queues.push(queue);
  return queue;
}

afterEach(() => {
  for (const queue of queues.splice(0)) queue.destroy();
});

describe('kafkajs RequestQueue', () => {
  it('as published, arms a timer on an idle queue (the behaviour the patch removes)', () => {
    const queue = newQueue('upstream');
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
  });

  it('installed, arms no timer while nothing is pending, throttled or not', () => {
    const queue = newQueue('installed');
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
    queue.throttledUntil = Date.now() + 5_000;
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('installed, checks pending requests again when a throttle ends, and soon when merely waiting for a slot', async () => {
    const throttled = newQueue('installed');
    const throttledChecks: number[] = [];
    throttled.checkPendingRequests = () => void throttledChecks.push(Date.now());
    throttled.pending = [{}];
    const start = Date.now();
    throttled.throttledUntil = start + 150;
    throttled.scheduleCheckPendingRequests();
    throttled.scheduleCheckPendingRequests(); // already armed: still one check

    const waiting = newQueue('installed');
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
});
