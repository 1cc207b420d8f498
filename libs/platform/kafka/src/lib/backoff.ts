/** How the consumer retries a batch that failed with a transient error. */
export interface RetryPolicy {
  /**
   * Consecutive failed attempts after which the consumer reports not-ready. Retrying goes on after
   * that (a transient error never drops data); readiness tells the platform something is wrong.
   */
  readonly maxAttempts: number;
  /** Delay ceiling of the first retry, in ms. */
  readonly initialMs: number;
  /** Upper bound of any delay, in ms. */
  readonly maxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ maxAttempts: 5, initialMs: 200, maxMs: 30_000 });

/**
 * Delay before retry number `attempt` (1 = the first retry): exponential growth capped at maxMs, with
 * "equal jitter": half of the step is fixed, half is random. The fixed half guarantees the delay grows
 * (no hot loop against a database that is down); the random half spreads the group members that all
 * failed at the same moment so they do not hammer the dependency in lock step.
 * `random` returns a number in [0, 1); tests pass a fixed one.
 */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'initialMs' | 'maxMs'>, random: () => number = Math.random): number {
  const step = Math.max(1, Math.floor(attempt));
  // 2 ** 30 already exceeds any sensible maxMs; keeps the arithmetic finite for very long outages.
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(step - 1, 30));
  const half = ceiling / 2;
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(half + half * r);
}

/** Validates a user-supplied policy, filling gaps from the defaults. */
export function resolveRetryPolicy(policy: Partial<RetryPolicy> | undefined): RetryPolicy {
  const resolved = { ...DEFAULT_RETRY_POLICY, ...policy };
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be a positive integer, got ${resolved.maxAttempts}`);
  }
  if (!(resolved.initialMs > 0) || !(resolved.maxMs >= resolved.initialMs)) {
    throw new RangeError(`retry needs 0 < initialMs <= maxMs, got initialMs=${resolved.initialMs} maxMs=${resolved.maxMs}`);
  }
  return resolved;
}
