import { percentile, summarizeLatencies } from './latency-stats';

describe('percentile (nearest rank)', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('over 1..100 gives the p-th value itself', () => {
    expect([percentile(oneToHundred, 50), percentile(oneToHundred, 95), percentile(oneToHundred, 99), percentile(oneToHundred, 100)]).toEqual([50, 95, 99, 100]);
  });

  it('always returns a measured value, never an interpolation', () => {
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
    expect(percentile([10, 20, 30, 40], 99)).toBe(40);
  });

  it('with a single sample, every percentile is that sample', () => {
    expect([percentile([7], 1), percentile([7], 50), percentile([7], 99)]).toEqual([7, 7, 7]);
  });

  it('a single slow request out of 100 shows in p100 but not in p99', () => {
    const latencies = [...Array.from({ length: 99 }, () => 10), 5_000];
    expect(percentile(latencies, 99)).toBe(10);
    expect(percentile(latencies, 100)).toBe(5_000);
  });

  it('refuses no values and percentiles outside (0, 100]', () => {
    expect(() => percentile([], 50)).toThrow('percentile of no values');
    expect(() => percentile([1], 0)).toThrow('percentile must be in (0, 100], got 0');
    expect(() => percentile([1], 101)).toThrow('percentile must be in (0, 100], got 101');
  });
});

describe('summarizeLatencies', () => {
  it('sorts the samples itself and reports min, p50, p95, p99, max and mean', () => {
    const shuffled = Array.from({ length: 200 }, (_, i) => ((i * 37) % 200) + 1);
    expect(summarizeLatencies(shuffled)).toEqual({ count: 200, min: 1, p50: 100, p95: 190, p99: 198, max: 200, mean: 100.5 });
  });

  it('does not reorder the caller’s array', () => {
    const samples = [3, 1, 2];
    summarizeLatencies(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('is undefined when nothing was assigned', () => {
    expect(summarizeLatencies([])).toBeUndefined();
  });
});
