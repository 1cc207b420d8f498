import { backoffDelay, DEFAULT_RETRY_POLICY, resolveRetryPolicy } from './backoff';

const policy = { initialMs: 100, maxMs: 5_000 };

describe('backoffDelay', () => {
  it('doubles the ceiling with every attempt, from initialMs', () => {
    const ceilings = [1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, policy, () => 0.999999));
    expect(ceilings).toEqual([100, 200, 400, 800, 1600]);
  });

  it('never waits less than half the ceiling (equal jitter): no hot loop against a dead dependency', () => {
    const floors = [1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, policy, () => 0));
    expect(floors).toEqual([50, 100, 200, 400, 800]);
  });

  it('spreads members that failed together', () => {
    const delays = [0.1, 0.5, 0.9].map((r) => backoffDelay(4, policy, () => r));
    expect(new Set(delays).size).toBe(3);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(400);
      expect(delay).toBeLessThanOrEqual(800);
    }
  });

  it('is capped at maxMs however long the outage', () => {
    expect(backoffDelay(7, policy, () => 0.999999)).toBe(5_000);
    expect(backoffDelay(10_000, policy, () => 0.999999)).toBe(5_000);
    expect(backoffDelay(10_000, policy, () => 0)).toBe(2_500);
  });

  it('treats nonsense attempts as the first and clamps a bad random source', () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(-3, policy, () => 2)).toBe(100);
  });

  it('uses Math.random by default and stays within bounds', () => {
    for (let i = 0; i < 100; i += 1) {
      const delay = backoffDelay(3, policy);
      expect(delay).toBeGreaterThanOrEqual(200);
      expect(delay).toBeLessThanOrEqual(400);
    }
  });
});

describe('resolveRetryPolicy', () => {
  it('fills what is missing from the defaults', () => {
    expect(resolveRetryPolicy(undefined)).toEqual(DEFAULT_RETRY_POLICY);
    expect(resolveRetryPolicy({ initialMs: 10 })).toEqual({ ...DEFAULT_RETRY_POLICY, initialMs: 10 });
  });

  it.each([
    [{ maxAttempts: 0 }, /maxAttempts/],
    [{ maxAttempts: 1.5 }, /maxAttempts/],
    [{ initialMs: 0 }, /initialMs/],
    [{ initialMs: 500, maxMs: 100 }, /initialMs=500 maxMs=100/],
  ])('rejects %j', (bad, message) => {
    expect(() => resolveRetryPolicy(bad)).toThrow(message);
  });
});
