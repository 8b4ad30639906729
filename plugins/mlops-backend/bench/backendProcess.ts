/**
 * The real Backstage backend (packages/backend/src/index.ts, every plugin it adds) as a child
 * process on 127.0.0.1 with extra config files. Started with plain `node` and the CLI's
 * TypeScript transform rather than `yarn start`, so that edits to the source tree during a
 * benchmark do not make the dev watcher restart it mid-run.
 */
import path from 'node:path';
import { startBackend, type BackendProcess } from '@mlops-plugins/test-support';

export { repoRoot } from '@mlops-plugins/test-support';
export type { BackendProcess };

export function startBackendProcess(options: {
  port: number;
  configFiles: string[];
  logFile: string;
  timeoutMs?: number;
}): Promise<BackendProcess> {
  return startBackend({
    port: options.port,
    configFiles: options.configFiles,
    logFile: options.logFile,
    workDir: path.dirname(options.logFile),
    timeoutMs: options.timeoutMs,
    // No --enable-source-maps: mapping stack traces would add CPU to the requests measured.
    nodeArgs: [],
  });
}
