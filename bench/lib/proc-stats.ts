/*
 * What the kernel knows about a process: resident memory and CPU time, read from /proc so that
 * every target, whatever its framework, is measured the same way from the outside.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat; 100 on every Linux we know, asked anyway. */
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** VmRSS in MiB, or 0 once the process is gone. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** User + system CPU time in milliseconds since the process started. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 (utime) and 15 (stime) overall are 12th and 13th after the name (state is first).
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}

/** CPU ms of every user-space process now running, by pid (kernel threads left out). */
export function allProcessesCpuMs(): Map<number, number> {
  const usage = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Field 4 (ppid) is 2 for kernel threads: their time is mostly our own loopback traffic.
      if (entry === '2' || fields[1] === '2') continue;
      usage.set(Number(entry), ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS);
    } catch {
      // The process ended between readdir and read: nothing to count.
    }
  }
  return usage;
}

/**
 * CPU ms that processes other than `own` spent between two snapshots. A process that started in
 * between counts from zero; one that ended in between is missed, so this is a lower bound.
 */
export function otherProcessesCpuMs(
  before: Map<number, number>,
  after: Map<number, number>,
  own: ReadonlySet<number>,
): number {
  let total = 0;
  for (const [pid, ms] of after) if (!own.has(pid)) total += ms - (before.get(pid) ?? 0);
  return Math.max(0, total);
}

/** Samples VmRSS every `everyMs` until stopped; returns the peak it saw. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMb(pid));
    },
  };
}

export function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
