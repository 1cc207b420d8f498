// Group commit: callers write to files (page cache) and then wait for the next flush round, which
// fdatasyncs every file made dirty since the previous round in one go. Concurrent produce requests
// thus share one fdatasync per file instead of paying one each.
import * as fs from 'node:fs';

export interface Flushable {
  /** Called when a round starts: the file to sync and what to do once it is durable. */
  prepareFlush(): { fd: number; done(): void } | null;
  /** True once the file was closed on purpose (topic deleted): a failed sync of it is no failure. */
  readonly isClosed?: boolean;
}

function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

export class GroupCommit {
  private dirty = new Set<Flushable>();
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private running = false;

  /** Marks a file as written; it is synced in the next round. */
  markDirty(f: Flushable): void {
    this.dirty.add(f);
    this.kick();
  }

  /** Resolves once everything written before this call is on disk. */
  waitDurable(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.kick();
    });
  }

  /** Resolves when no round is running or pending. */
  async drain(): Promise<void> {
    while (this.running) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    // setImmediate: requests that arrived in the same I/O phase join this round
    setImmediate(() => void this.loop());
  }

  private async loop(): Promise<void> {
    try {
      await this.rounds();
    } finally {
      // Callers woken by the last round may have queued more work before this point (their
      // kick() saw running === true): the re-check below picks it up, so no waiter is stranded.
      this.running = false;
      if (this.dirty.size > 0 || this.waiters.length > 0) this.kick();
    }
  }

  private async rounds(): Promise<void> {
    while (this.dirty.size > 0 || this.waiters.length > 0) {
      const owners = [...this.dirty];
      this.dirty.clear();
      const prepared = owners.map((f) => ({ owner: f, item: f.prepareFlush() }));
      const live = prepared.filter((p) => p.item !== null);
      const items = live.map((p) => p.item as { fd: number; done(): void });
      const waiters = this.waiters;
      this.waiters = [];
      const results = await Promise.allSettled(items.map((i) => fdatasync(i.fd)));
      let failure: Error | null = null;
      results.forEach((r, idx) => {
        if (r.status === 'fulfilled') items[idx].done();
        else if (!live[idx].owner.isClosed) failure = r.reason instanceof Error ? r.reason : new Error(String(r.reason));
      });
      for (const w of waiters) {
        if (failure) w.reject(failure);
        else w.resolve();
      }
    }
  }
}
