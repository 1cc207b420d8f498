// One client connection: splits the byte stream into size-prefixed frames, hands each request to
// the dispatcher, and writes the replies strictly in request order, even when a later request
// (a Heartbeat) completes before an earlier one (a parked JoinGroup or a long-polling Fetch).
import type { Socket } from 'node:net';

export type RequestHandler = (frame: Buffer, conn: Connection) => Promise<Buffer[] | null>;

const MAX_FRAME = 100 * 1024 * 1024;

interface Slot {
  done: boolean;
  chunks: Buffer[] | null;
}

export class Connection {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly queue: Slot[] = [];
  private closed = false;
  readonly clientHost: string;

  constructor(
    readonly socket: Socket,
    private readonly handler: RequestHandler,
    private readonly onError: (err: unknown) => void,
  ) {
    this.clientHost = `/${socket.remoteAddress ?? 'unknown'}`;
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => {
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed || this.socket.destroyed;
  }

  private onData(data: Buffer): void {
    this.pending.push(data);
    this.pendingBytes += data.length;
    while (this.pendingBytes >= 4) {
      let head = this.pending[0];
      if (head.length < 4) {
        head = Buffer.concat(this.pending);
        this.pending = [head];
      }
      const size = head.readInt32BE(0);
      if (size < 0 || size > MAX_FRAME) {
        this.onError(new Error(`invalid frame size ${size} from ${this.clientHost}; closing connection`));
        this.socket.destroy();
        return;
      }
      if (this.pendingBytes < 4 + size) return;
      const all = this.pending.length === 1 ? head : Buffer.concat(this.pending, this.pendingBytes);
      const frame = all.subarray(4, 4 + size);
      const rest = all.subarray(4 + size);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
      this.dispatch(frame);
    }
  }

  private dispatch(frame: Buffer): void {
    const slot: Slot = { done: false, chunks: null };
    this.queue.push(slot);
    this.handler(frame, this).then(
      (chunks) => {
        slot.chunks = chunks;
        slot.done = true;
        this.drain();
      },
      (err: unknown) => {
        this.onError(err);
        this.socket.destroy();
      },
    );
  }

  private drain(): void {
    if (this.isClosed) return;
    let corked = false;
    while (this.queue.length > 0 && this.queue[0].done) {
      const slot = this.queue.shift() as Slot;
      if (!slot.chunks) continue; // acks=0 produce: no reply
      if (!corked) {
        this.socket.cork();
        corked = true;
      }
      let size = 0;
      for (const c of slot.chunks) size += c.length;
      const prefix = Buffer.allocUnsafe(4);
      prefix.writeInt32BE(size, 0);
      this.socket.write(prefix);
      for (const c of slot.chunks) this.socket.write(c);
    }
    if (corked) this.socket.uncork();
  }
}
