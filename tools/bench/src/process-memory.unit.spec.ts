import { parseProcStatus, readProcessMemory } from './process-memory';

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
