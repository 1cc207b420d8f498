import { parseProcStatCpuSeconds, parseProcStatus, readProcessCpuSeconds, readProcessMemory } from './process-memory';

const status = ['Name:\tnode', 'State:\tS (sleeping)', 'VmPeak:\t 1234567 kB', 'VmHWM:\t  180224 kB', 'VmRSS:\t  150000 kB', 'Threads:\t11'].join('\n');

describe('parseProcStatus', () => {
  it('reads the peak (VmHWM) and current (VmRSS) resident set in bytes, not VmPeak (virtual)', () => {
    expect(parseProcStatus(status)).toEqual({ peakRssBytes: 180_224 * 1024, currentRssBytes: 150_000 * 1024 });
  });

  it('is undefined when the fields are absent (a kernel thread, another OS)', () => {
    expect(parseProcStatus('Name:\tkthreadd\nState:\tS (sleeping)')).toBeUndefined();
  });
});

describe('readProcessMemory', () => {
  it('reads this process on Linux, and says when a pid is not running', () => {
    if (process.platform !== 'linux') return;
    const own = readProcessMemory(process.pid);
    expect('peakRssBytes' in own && own.peakRssBytes >= own.currentRssBytes && own.currentRssBytes > 0).toBe(true);
    expect(readProcessMemory(2 ** 22 + 1)).toEqual({ unavailable: `pid ${2 ** 22 + 1} is not running (restarted or stopped?)` });
  });
});

describe('parseProcStatCpuSeconds', () => {
  it('adds utime and stime (fields 14 and 15, in 1/100 s), counting fields after the last parenthesis', () => {
    const stat = '4242 (node (worker) 1) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 567 0 0 20 0 11 0 100 1000000 30000 18446744073709551615';
    expect(parseProcStatCpuSeconds(stat)).toBeCloseTo(18.01, 5);
  });

  it('is undefined for text that is not a stat line', () => {
    expect(parseProcStatCpuSeconds('no parentheses here')).toBeUndefined();
    expect(parseProcStatCpuSeconds('1 (x) S 1 2')).toBeUndefined();
  });

  it('reads this process, which has used some CPU, and nothing for a pid that is not running', () => {
    if (process.platform !== 'linux') return;
    const used = readProcessCpuSeconds(process.pid);
    expect(used).toBeGreaterThan(0);
    expect(readProcessCpuSeconds(2 ** 22 + 12345)).toBeUndefined();
  });
});
