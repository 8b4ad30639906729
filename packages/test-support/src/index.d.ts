// Types of index.cjs. index.test.ts and backendProcess.test.ts use every export through them, so
// the two cannot drift apart without `yarn tsc` or those tests failing.

/** The repository's root directory. */
export declare const repoRoot: string;

/** A TCP port that was free on 127.0.0.1 a moment ago, for a server the caller starts next. */
export declare function freePort(): Promise<number>;

/** Bounds of `eventually` and `waitUntil`. */
export interface PollOptions {
  /** The whole wait, a pending call included; default 60 s. */
  timeoutMs?: number;
  /** Pause between calls; default 1 s. */
  everyMs?: number;
  /** Calls at most; default as many as fit in `timeoutMs`. */
  attempts?: number;
}

/**
 * Calls `fn` until it returns without throwing and resolves to what it returned; rejects with
 * `what` and the last error once `attempts` or `timeoutMs` run out. `(what, fn, 30_000, 500)`
 * is short for `(what, fn, { timeoutMs: 30_000, everyMs: 500 })`.
 */
export declare function eventually<T>(
  what: string,
  fn: () => T | Promise<T>,
  options?: PollOptions | number,
  everyMs?: number,
): Promise<T>;

/**
 * Calls `fn` until it returns a truthy value and resolves to it, within the bounds of
 * `eventually`; a throw from `fn` ends the wait at once.
 */
export declare function waitUntil<T>(
  what: string,
  fn: () =>
    | T
    | undefined
    | null
    | false
    | 0
    | ''
    | Promise<T | undefined | null | false | 0 | ''>,
  options?: PollOptions | number,
  everyMs?: number,
): Promise<T>;

/**
 * Runs `command` to completion within `timeoutMs`; resolves to its output (stdout and stderr
 * interleaved), rejects with it on a non-zero exit, a failed start or an overrun (SIGTERM).
 */
export declare function runCommand(
  command: string,
  args: string[],
  options: {
    timeoutMs: number;
    cwd?: string;
    /** Added to this process's environment. */
    env?: Record<string, string | undefined>;
    /** Written to the command's stdin, which is closed otherwise. */
    input?: string;
  },
): Promise<string>;

/** Whether process group `pgid` still has a running (not zombie) member. */
export declare function groupAlive(pgid: number): boolean;

/** SIGTERM to every process of group `pgid`, SIGKILL after `graceMs` (default 15 s). */
export declare function stopGroup(
  pgid: number,
  graceMs?: number,
): Promise<void>;

/** SIGKILL to every process of group `pgid`. */
export declare function killGroup(pgid: number): Promise<void>;

/** `backend.database` of the app config. */
export interface BackendDatabaseConfig {
  client: 'better-sqlite3' | 'pg' | (string & {});
  connection: string | Record<string, unknown>;
  prefix?: string;
  [key: string]: unknown;
}

/**
 * Writes the app-config overlay that puts a backend on `port` (default: a free one) of
 * 127.0.0.1: `app.baseUrl`, `backend.baseUrl` and `backend.listen`; `cors` also allows the
 * backend's own origin, `database` becomes `backend.database`.
 */
export declare function writeBackendPortConfig(
  file: string,
  options?: { cors?: boolean; port?: number; database?: BackendDatabaseConfig },
): Promise<{ port: number; baseUrl: string }>;

/** What differs between the harnesses that start a backend. */
export interface StartBackendOptions {
  /** Names the log file, the config overlay and error messages; default `backend`. */
  name?: string;
  /** Where the overlay (and by default the log) go; default a new directory under the OS temp dir. */
  workDir?: string;
  /** The backend package, the process's working directory; default packages/backend of this repo. */
  backendDir?: string;
  /**
   * `node` (default): plain node with Backstage's TypeScript transform, which nothing restarts.
   * `yarn-start`: `yarn start` (backstage-cli package start), whose watcher restarts the
   * backend whenever a source file changes.
   */
  runner?: 'node' | 'yarn-start';
  /** With `node`: the script, relative to `backendDir`; default `src/index.ts`. */
  entry?: string;
  /** With `node`: flags before the transform; default `['--enable-source-maps']`. */
  nodeArgs?: string[];
  /** The first config file; default app-config.yaml two levels above `backendDir`; `false` for none. */
  baseConfig?: string | false;
  /** Config files after the base one, in order. */
  configFiles?: string[];
  /** Config written to a file after `configFiles`. */
  config?: Record<string, unknown>;
  /** `backend.database`; default whatever the config files say. */
  database?: BackendDatabaseConfig;
  /** Default a free port. */
  port?: number;
  /** Also allow a browser on the backend's own origin (it serves the frontend). */
  cors?: boolean;
  /** Added to this process's environment, after NODE_ENV=development and FORCE_COLOR=0. */
  env?: Record<string, string | undefined>;
  /** The backend's stdout and stderr; default `<workDir>/<name>.log`. */
  logFile?: string;
  /** Ready once a GET of this answers 2xx; default `/api/mlops/v1/health`. */
  readyPath?: string;
  /** Start-up bound; default 240 s. */
  timeoutMs?: number;
  /** Pause between readiness probes; default 500 ms. */
  pollMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL; default 15 s. */
  stopGraceMs?: number;
}

/** A backend started by `startBackend`. */
export interface BackendProcess {
  name: string;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  port: number;
  /** Of the process started, which leads the process group. */
  pid: number;
  logFile: string;
  workDir: string;
  /** Every `--config` it got, in order. */
  configFiles: string[];
  /** From spawn to the first 2xx of `readyPath`. */
  startupMs: number;
  readLog(): Promise<string>;
  /** Whether the process started (yarn, or node with the backend) still runs. */
  isRunning(): boolean;
  /** SIGTERM to the group, SIGKILL after the grace period; resolves when every member is gone. */
  stop(): Promise<void>;
  /** SIGKILL to the group, no shutdown hooks: as a crashed node or an OOM kill. */
  kill(): Promise<void>;
}

/**
 * Starts the real Backstage backend as a child process in a process group of its own, with
 * app-config.yaml, `configFiles`, `config` and an overlay for its port; resolves once it is
 * ready, rejects with the end of its log if it exits or is not ready in time.
 */
export declare function startBackend(
  options?: StartBackendOptions,
): Promise<BackendProcess>;
