import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { SANDBOX_PACKAGE_DIR, sandboxCacheDir } from './paths';

/** A child process of the sandbox, logging to a file. */
export interface SandboxProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  isRunning(): boolean;
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: {
    logFile: string;
    detached?: boolean;
    /** Added to this process's environment. */
    env?: Record<string, string>;
  },
): SandboxProcess {
  const out = fs.openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    stdio: ['ignore', out, out],
    env: options.env ? { ...process.env, ...options.env } : undefined,
    // A detached process outlives `mlops-sandbox up`; `down` stops it by pid.
    detached: Boolean(options.detached),
  });
  fs.closeSync(out);
  if (options.detached) {
    child.unref();
  }
  let running = true;
  const exited = new Promise<number | null>(resolve => {
    child.on('exit', code => {
      running = false;
      resolve(code);
    });
    child.on('error', () => {
      running = false;
      resolve(null);
    });
  });
  if (child.pid === undefined) {
    throw new Error(`could not start ${name} (${command})`);
  }
  return {
    name,
    pid: child.pid,
    logFile: options.logFile,
    exited,
    isRunning: () => running,
  };
}

export function isPidAlive(pid: number): boolean {
  // kill(0 or negative) signals a whole process group or every process we may signal.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a pid from a state file still names a sandbox process. A stale file (a stack that
 * died, a machine that rebooted) holds pids the kernel may since have given to anything, such
 * as the shell or test run of the person using the sandbox: those are never signalled.
 */
export function isSandboxProcess(pid: number): boolean {
  let cmdline: string;
  try {
    cmdline = fs
      .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .replace(/\0/g, ' ');
  } catch {
    return true; // no procfs (not Linux): fall back to trusting the state file
  }
  return (
    cmdline.includes(sandboxCacheDir()) ||
    cmdline.includes(SANDBOX_PACKAGE_DIR) ||
    /mlops-sandbox|prometheus|llm-d-inference-sim/.test(cmdline)
  );
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the pid is gone. */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  if (!isPidAlive(pid)) return; // also refuses pid <= 0: never signal every process
  if (!isSandboxProcess(pid)) return; // a reused pid: not ours to stop

  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isPidAlive(pid) && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 50));
  }
  if (isPidAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
    while (isPidAlive(pid)) {
      await new Promise(r => setTimeout(r, 20));
    }
  }
}

/** Last lines of a log file, for error messages. */
export function tailLog(file: string, lines = 30): string {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .join('\n');
  } catch {
    return '(no log)';
  }
}
