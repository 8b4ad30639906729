import type { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installCrds, readCrds } from './crds';
import {
  ADMIN_CONTEXT,
  loadKubeConfig,
  RECONCILER_CONTEXT,
  writeKubeconfig,
} from './kubeconfig';
import { binaryPaths, resolveCrdsDir } from './paths';
import { writeIdentities } from './pki';
import { freePort } from './ports';
import {
  startProcess,
  stopPid,
  tailLog,
  type SandboxProcess,
} from './processes';
import { installReconcilerRbac } from './rbac';
import { waitForOk } from './readiness';

export interface ControlPlaneOptions {
  /** CustomResourceDefinitions to install; default MLOPS_SANDBOX_CRDS_DIR or ../shared/crds. */
  crdsDir?: string;
  /** Where etcd data, keys, logs and the kubeconfig go; default a new temp dir, removed on stop. */
  workDir?: string;
  /** Let the processes outlive this Node process (`mlops-sandbox up`). */
  detached?: boolean;
  /** Progress lines, e.g. console.error. */
  log?: (line: string) => void;
  /** Extra kube-apiserver flags, e.g. `--watch-cache=false` for watch-expiry tests. */
  apiServerArgs?: string[];
}

export interface ControlPlane {
  /** Kubeconfig with an admin context (current) and the reconciler's context. */
  kubeconfigPath: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** http://127.0.0.1:<port> of etcd's client API (compaction in watch-expiry tests). */
  etcdUrl: string;
  adminKubeConfig: KubeConfig;
  /** The non-admin identity the reconciler uses, with the RBAC production would give it. */
  reconcilerKubeConfig: KubeConfig;
  workDir: string;
  pids: { etcd: number; kubeApiserver: number };
  /** Names of the CRDs installed and Established. */
  crds: string[];
  /** Milliseconds from start to /readyz and from start to CRDs Established. */
  timings: { readyzMs: number; crdsEstablishedMs: number };
  /** Stops kube-apiserver only (etcd keeps the data), for fault tests. */
  stopApiServer(): Promise<void>;
  /** Starts kube-apiserver again on the same port and waits for /readyz. */
  startApiServer(): Promise<void>;
  /** SIGKILLs kube-apiserver (no graceful shutdown) and waits for it to exit, for fault tests. */
  killApiServer(): Promise<void>;
  /** Stops etcd only (kube-apiserver keeps running and fails its storage calls), for fault tests. */
  stopEtcd(): Promise<void>;
  /** Starts etcd again on the same ports with the same data dir and waits for /health. */
  startEtcd(): Promise<void>;
  stop(): Promise<void>;
}

function requireBinary(file: string): string {
  if (!fs.existsSync(file)) {
    throw new Error(
      `${path.basename(
        file,
      )} is not built (expected ${file}); run: bash packages/sandbox/scripts/build-binaries.sh`,
    );
  }
  return file;
}

/** Stops the API server before etcd: the other way round its shutdown hangs for a minute. */
export async function stopControlPlanePids(pids: {
  etcd: number;
  kubeApiserver: number;
}) {
  await stopPid(pids.kubeApiserver, 15_000);
  await stopPid(pids.etcd, 10_000);
}

/**
 * Starts a real etcd and kube-apiserver on free 127.0.0.1 ports, installs the CRDs and the
 * reconciler's RBAC, and returns kubeconfigs for an admin and for the reconciler.
 */
export async function startControlPlane(
  options: ControlPlaneOptions = {},
): Promise<ControlPlane> {
  const log = options.log ?? (() => {});
  const bins = binaryPaths();
  const etcdBin = requireBinary(bins.etcd);
  const apiserverBin = requireBinary(bins.kubeApiserver);
  const crds = readCrds(resolveCrdsDir(options.crdsDir));
  const ownWorkDir = !options.workDir;
  const workDir =
    options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-sandbox-'));
  fs.mkdirSync(workDir, { recursive: true });
  const started = Date.now();
  const processes: SandboxProcess[] = [];

  const stopAll = async () => {
    const [etcd, apiserver] = processes;
    await stopControlPlanePids({
      etcd: etcd?.pid ?? -1,
      kubeApiserver: apiserver?.pid ?? -1,
    });
  };

  try {
    const [clientPort, peerPort, apiPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const etcdUrl = `http://127.0.0.1:${clientPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const etcdArgs = [
      '--name=default',
      `--data-dir=${path.join(workDir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      '--unsafe-no-fsync',
    ];
    const startEtcdProcess = () =>
      startProcess('etcd', etcdBin, etcdArgs, {
        logFile: path.join(workDir, 'etcd.log'),
        detached: options.detached,
      });
    let etcd = startEtcdProcess();
    processes.push(etcd);
    await waitForOk(`${etcdUrl}/health`, {
      timeoutMs: 30_000,
      alive: etcd.isRunning,
      describe: () => tailLog(etcd.logFile),
    });
    log(`etcd ready on ${etcdUrl}`);

    const ids = writeIdentities(path.join(workDir, 'pki'));
    const certDir = path.join(workDir, 'pki', 'serving');
    const server = `https://127.0.0.1:${apiPort}`;
    const apiserverArgs = [
      `--etcd-servers=${etcdUrl}`,
      `--cert-dir=${certDir}`,
      `--secure-port=${apiPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      // Room for thousands of Services (benchmarks create one per entity); /16 is well below the /12 limit.
      '--service-cluster-ip-range=10.96.0.0/16',
      '--allow-privileged=true',
      '--authorization-mode=RBAC',
      // No controller-manager in tier 1, so nothing would create ServiceAccount tokens.
      '--disable-admission-plugins=ServiceAccount',
      `--service-account-issuer=${server}`,
      `--service-account-key-file=${ids.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${ids.serviceAccountPrivateKey}`,
      `--token-auth-file=${ids.tokenFile}`,
      // 127.0.0.1 is not a valid endpoint for the `kubernetes` Service; nothing here needs it.
      '--endpoint-reconciler-type=none',
      ...(options.apiServerArgs ?? []),
    ];
    const startApiserver = () =>
      startProcess('kube-apiserver', apiserverBin, apiserverArgs, {
        logFile: path.join(workDir, 'kube-apiserver.log'),
        detached: options.detached,
      });
    let apiserver = startApiserver();
    processes.push(apiserver);
    const caFile = path.join(certDir, 'apiserver.crt');
    await waitForOk(`${server}/readyz`, {
      timeoutMs: 60_000,
      caFile,
      alive: apiserver.isRunning,
      describe: () => tailLog(apiserver.logFile),
    });
    const readyzMs = Date.now() - started;
    log(`kube-apiserver ready on ${server} (${readyzMs} ms)`);

    const kubeconfigPath = path.join(workDir, 'kubeconfig');
    writeKubeconfig(kubeconfigPath, {
      server,
      caFile,
      adminToken: ids.adminToken,
      reconcilerToken: ids.reconcilerToken,
    });
    const adminKubeConfig = loadKubeConfig(kubeconfigPath, ADMIN_CONTEXT);
    const reconcilerKubeConfig = loadKubeConfig(
      kubeconfigPath,
      RECONCILER_CONTEXT,
    );

    const crdNames = await installCrds(adminKubeConfig, crds);
    const crdsEstablishedMs = Date.now() - started;
    log(`${crdNames.length} CRDs Established (${crdsEstablishedMs} ms)`);
    await installReconcilerRbac(adminKubeConfig);

    const pids = { etcd: etcd.pid, kubeApiserver: apiserver.pid };
    return {
      kubeconfigPath,
      server,
      etcdUrl,
      adminKubeConfig,
      reconcilerKubeConfig,
      workDir,
      pids,
      crds: crdNames,
      timings: { readyzMs, crdsEstablishedMs },
      async stopApiServer() {
        await stopPid(pids.kubeApiserver, 15_000);
      },
      async startApiServer() {
        if (apiserver.isRunning()) return;
        apiserver = startApiserver();
        pids.kubeApiserver = apiserver.pid;
        await waitForOk(`${server}/readyz`, {
          timeoutMs: 60_000,
          caFile,
          alive: apiserver.isRunning,
          describe: () => tailLog(apiserver.logFile),
        });
      },
      async killApiServer() {
        if (!apiserver.isRunning()) return;
        process.kill(apiserver.pid, 'SIGKILL');
        await apiserver.exited;
      },
      async stopEtcd() {
        await stopPid(pids.etcd, 10_000);
        await etcd.exited;
      },
      async startEtcd() {
        if (etcd.isRunning()) return;
        etcd = startEtcdProcess();
        pids.etcd = etcd.pid;
        await waitForOk(`${etcdUrl}/health`, {
          timeoutMs: 30_000,
          alive: etcd.isRunning,
          describe: () => tailLog(etcd.logFile),
        });
      },
      async stop() {
        await stopControlPlanePids(pids);
        if (ownWorkDir) {
          fs.rmSync(workDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await stopAll();
    if (ownWorkDir) {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
    throw error;
  }
}
