import { Inject, Injectable, Optional } from '@nestjs/common';

/** Injection token for the per-check timeout (ms) of ReadinessRegistry. */
export const READINESS_CHECK_TIMEOUT_MS = Symbol.for('leadstream.readiness.checkTimeoutMs');

/**
 * A readiness check: resolves true (or nothing) when up; false or a rejection means down. A string
 * means up, with a note worth reporting (`up: <note>`): something an operator should know that does
 * not stop the service serving.
 */
export type ReadinessCheck = () => Promise<boolean | string | void> | boolean | string | void;

export interface ReadinessReport {
  readonly ready: boolean;
  /** 'up', 'up: <note>' or 'down: <reason>' per named check. */
  readonly checks: Record<string, string>;
}

/**
 * Where a service registers what it needs to serve: its database, its Kafka consumer and producer.
 * GET /health/ready runs every check (in parallel, each bounded by a timeout) and answers 503 naming
 * the ones that are down.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  private readonly timeoutMs: number;

  constructor(@Optional() @Inject(READINESS_CHECK_TIMEOUT_MS) timeoutMs?: number) {
    this.timeoutMs = timeoutMs ?? 2_000;
  }

  /** Adds or replaces the check called `name`. */
  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  async check(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await this.runOne(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    return { ready: entries.every(([, state]) => state === 'up' || state.startsWith('up: ')), checks };
  }

  private async runOne(check: ReadinessCheck): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`down: no answer within ${this.timeoutMs} ms`), this.timeoutMs);
    });
    const outcome = (async () => {
      try {
        const result = await check();
        if (result === false) return 'down: check failed';
        return typeof result === 'string' ? `up: ${result}` : 'up';
      } catch (err) {
        return `down: ${err instanceof Error ? err.message : String(err)}`;
      }
    })();
    try {
      return await Promise.race([outcome, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
