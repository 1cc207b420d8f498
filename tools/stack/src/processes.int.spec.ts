import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { until } from '@leadstream/testing';
import { supervise, type SupervisedProcess } from './processes';

// A child that starts a worker thread, so that there is a thread created after the process started,
// and says so once it runs.
const CHILD = [
  '-e',
  "new (require('node:worker_threads').Worker)('setInterval(() => {}, 1000)', { eval: true }).on('online', () => console.log('worker online')); setInterval(() => {}, 1000)",
];

/** The nice value of every thread of a process, from /proc/<pid>/task/<tid>/stat (field 19). */
function threadNiceValues(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('supervise', () => {
  let dir: string;
  const running: SupervisedProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'leadstream-supervise-'));
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((child) => child.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (nice?: number): SupervisedProcess => {
    const child = supervise({ name: 'child', args: CHILD, env: process.env, cwd: dir, logFile: path.join(dir, 'child.log'), nice, restart: false });
    running.push(child);
    return child;
  };

  const threadsOf = async (child: SupervisedProcess): Promise<number[]> => {
    await until(async () => (readFileSync(path.join(dir, 'child.log'), 'utf8').includes('worker online') ? true : undefined), 'the child and its worker thread to start');
    return threadNiceValues(child.pid() as number);
  };

  it('runs every thread of the child at the nice value asked for', async () => {
    const values = await threadsOf(start(7));
    // nice adds to the launcher's own value, up to 19.
    expect(new Set(values)).toEqual(new Set([Math.min(19, os.getPriority() + 7)]));
    expect(values.length).toBeGreaterThan(2);
  });

  it("leaves the child at the launcher's priority without one", async () => {
    const values = await threadsOf(start());
    expect(new Set(values)).toEqual(new Set([os.getPriority()]));
  });
});
