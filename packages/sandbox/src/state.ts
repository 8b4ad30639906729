import fs from 'node:fs';
import path from 'node:path';
import { sandboxCacheDir } from './paths';

/** What `mlops-sandbox up` leaves behind for `down` and `status`. */
export interface SandboxState {
  name: string;
  server: string;
  kubeconfigPath: string;
  workDir: string;
  pids: { etcd: number; kubeApiserver: number };
  startedAt: string;
}

export function sandboxName(): string {
  return process.env.MLOPS_SANDBOX_NAME || 'default';
}

export function sandboxWorkDir(name = sandboxName()): string {
  return path.join(sandboxCacheDir(), 'state', name);
}

const stateFile = (name: string) =>
  path.join(sandboxWorkDir(name), 'state.json');

export function readState(name = sandboxName()): SandboxState | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(name), 'utf8')) as SandboxState;
  } catch {
    return undefined;
  }
}

export function writeState(state: SandboxState): void {
  fs.writeFileSync(
    stateFile(state.name),
    `${JSON.stringify(state, null, 2)}\n`,
  );
}
