import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { collectYoungGarbage } from './memory';

type Gc = (options?: { type?: string }) => void;
const holder = globalThis as { gc?: Gc };

describe('collectYoungGarbage', () => {
  const before = holder.gc;
  afterEach(() => {
    if (before) holder.gc = before;
    else delete holder.gc;
  });

  it('does nothing and says so when the process has no exposed gc', () => {
    delete holder.gc;
    expect(collectYoungGarbage()).toBe(false);
  });

  it('asks V8 for a young-generation collection, not a full one', () => {
    const calls: unknown[] = [];
    holder.gc = (options) => void calls.push(options);
    expect(collectYoungGarbage()).toBe(true);
    expect(calls).toEqual([{ type: 'minor' }]);
  });

  it('keeps the read buffers of a loop that makes no objects from piling up: 64 MiB read, under 32 MiB held', () => {
    // The real gc, as --expose-gc gives it: a context made while the flag is set has it. The flag is
    // unset at once, or every later test file of this jest worker would get an undeletable global gc.
    setFlagsFromString('--expose-gc');
    try {
      holder.gc = runInNewContext('gc') as Gc;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
    // V8 frees the collected buffers on a helper thread and counts them freed when it is done; on a busy
    // machine (jest workers on two cores) that can lag the loop. Sweep on this thread for the count.
    setFlagsFromString('--no-concurrent-array-buffer-sweeping');
    // Count from what is live now: earlier test files of this worker may have left buffers for a full collection.
    holder.gc({ type: 'major' });
    const live = process.memoryUsage().arrayBuffers;
    let most = 0;
    let sinceCollect = 0;
    let collections = 0;
    try {
      for (let i = 0; i < 1024; i++) {
        const chunk = Buffer.allocUnsafe(64 * 1024); // what a socket read hands over: 64 MiB in all
        chunk[0] = i & 0xff;
        sinceCollect += chunk.length;
        if (sinceCollect >= 8 * 1024 * 1024) {
          sinceCollect = 0;
          if (collectYoungGarbage()) collections += 1;
        }
        most = Math.max(most, process.memoryUsage().arrayBuffers - live);
      }
    } finally {
      setFlagsFromString('--concurrent-array-buffer-sweeping');
    }
    expect(collections).toBe(8);
    expect(most).toBeLessThan(32 * 1024 * 1024);
  });
});
