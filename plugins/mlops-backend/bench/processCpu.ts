/**
 * CPU time (user + system) of running processes as Linux counts it in /proc/<pid>/stat, so a
 * benchmark can say what a request costs the backend and the API server, not only how long
 * it took.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const ticksPerSecond = Number(
  execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim(),
);

/** Milliseconds of CPU `pid` has used so far (resolution 1000 / CLK_TCK, 10 ms on Linux). */
export function processCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** CPU milliseconds of each named process, read together. */
export function cpuOf(pids: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid)]),
  );
}
