import { readFileSync } from 'node:fs';

/** Resident memory of one process, in bytes, from /proc/<pid>/status (Linux). */
export interface ProcessMemory {
  /** VmHWM: the peak resident set since the process started (not only during the run). */
  readonly peakRssBytes: number;
  /** VmRSS: the resident set now. */
  readonly currentRssBytes: number;
}

/** Extracts VmHWM and VmRSS (reported in kB) from the text of /proc/<pid>/status. */
export function parseProcStatus(status: string): ProcessMemory | undefined {
  const kilobytes = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const peak = kilobytes('VmHWM');
  const current = kilobytes('VmRSS');
  return peak === undefined || current === undefined ? undefined : { peakRssBytes: peak, currentRssBytes: current };
}

/** The memory of a running process, or why it cannot be read (exited, other OS, no permission). */
export function readProcessMemory(pid: number): ProcessMemory | { readonly unavailable: string } {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { unavailable: process.platform === 'linux' ? `pid ${pid} is not running (restarted or stopped?)` : 'needs Linux /proc' };
    return { unavailable: `cannot read /proc/${pid}/status (${code ?? String(error)})` };
  }
  return parseProcStatus(status) ?? { unavailable: `no VmHWM/VmRSS in /proc/${pid}/status` };
}

/** Linux reports process CPU times in clock ticks of 1/100 s (USER_HZ, 100 on every Linux ABI Node runs on). */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) a process has used, from the text of /proc/<pid>/stat. The command name
 * (second field) is in parentheses and may itself hold spaces or parentheses, so fields are counted from
 * the last ')'.
 */
export function parseProcStatCpuSeconds(stat: string): number | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = stat.slice(close + 1).trim().split(/\s+/);
  // After the name: state (field 3 of the man page) is fields[0], utime (14) fields[11], stime (15) fields[12].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) && fields.length > 12 ? (utime + stime) / TICKS_PER_SECOND : undefined;
}

/** CPU seconds used so far by a running process, or undefined when it cannot be read. */
export function readProcessCpuSeconds(pid: number): number | undefined {
  try {
    return parseProcStatCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}
