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
