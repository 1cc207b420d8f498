import type { Lane } from '@leadstream/contracts';

/** A place in line for the handler: `granted` resolves when it is this holder's turn; `release` gives it up. */
export interface Turn {
  readonly granted: Promise<void>;
  /** Ends the turn, or leaves the line when it was not granted yet. Safe to call more than once. */
  release(): void;
}

/**
 * One handler call at a time across the two lanes of a consumer. A service's live and bulk consumers share
 * one LaneTurns: a handler call takes a turn and gives it back once its effects are durable; a freed turn
 * goes to a waiting live call before a waiting bulk call. So a form lead waits for at most the one bulk
 * batch in hand at each hop, never for the bulk backlog behind it, and the handler calls of one service
 * never overlap, as with a single consumer.
 */
export class LaneTurns {
  private holder: object | undefined;
  private readonly waiting: Record<Lane, { readonly id: object; readonly grant: () => void }[]> = { live: [], bulk: [] };

  /** Joins the line of `lane`; granted at once when nobody holds the turn. */
  take(lane: Lane): Turn {
    const id = {};
    let released = false;
    const granted = new Promise<void>((grant) => {
      if (this.holder === undefined) {
        this.holder = id;
        grant();
      } else {
        this.waiting[lane].push({ id, grant });
      }
    });
    return {
      granted,
      release: () => {
        if (released) return;
        released = true;
        if (this.holder === id) {
          this.holder = undefined;
          this.next();
        } else {
          for (const line of Object.values(this.waiting)) {
            const at = line.findIndex((w) => w.id === id);
            if (at >= 0) line.splice(at, 1);
          }
        }
      },
    };
  }

  private next(): void {
    const waiter = this.waiting.live.shift() ?? this.waiting.bulk.shift();
    if (!waiter) return;
    this.holder = waiter.id;
    waiter.grant();
  }
}
