import path from 'node:path';
import { startProcess, tailLog, type SandboxProcess } from '../processes';

export interface KubeComponentOptions {
  workDir: string;
  /** Admin kubeconfig (token + CA file). */
  kubeconfigPath: string;
  detached?: boolean;
}

/**
 * kube-controller-manager: Deployments → ReplicaSets → Pods, garbage collection, namespace
 * deletion, node lifecycle. No serving port (--secure-port=0), no leader election.
 * The HPA controller is off: the KEDA stand-in drives the HPA it creates, because the
 * external metrics API (KEDA's metrics apiserver) does not exist here.
 */
export function startControllerManager(
  binary: string,
  options: KubeComponentOptions,
): SandboxProcess {
  const pki = path.join(options.workDir, 'pki');
  return startProcess(
    'kube-controller-manager',
    binary,
    [
      `--kubeconfig=${options.kubeconfigPath}`,
      '--secure-port=0',
      '--leader-elect=false',
      '--use-service-account-credentials=false',
      '--controllers=*,-horizontalpodautoscaling',
      `--service-account-private-key-file=${path.join(pki, 'sa.key')}`,
      `--root-ca-file=${path.join(pki, 'serving', 'apiserver.crt')}`,
      '--concurrent-deployment-syncs=2',
      '--v=1',
    ],
    {
      logFile: path.join(options.workDir, 'kube-controller-manager.log'),
      detached: options.detached,
    },
  );
}

/** kube-scheduler: the real scheduler, so `nvidia.com/gpu` requests are honoured. */
export function startScheduler(
  binary: string,
  options: KubeComponentOptions,
): SandboxProcess {
  return startProcess(
    'kube-scheduler',
    binary,
    [
      `--kubeconfig=${options.kubeconfigPath}`,
      `--authentication-kubeconfig=${options.kubeconfigPath}`,
      `--authorization-kubeconfig=${options.kubeconfigPath}`,
      '--secure-port=0',
      '--leader-elect=false',
      '--v=1',
    ],
    {
      logFile: path.join(options.workDir, 'kube-scheduler.log'),
      detached: options.detached,
    },
  );
}

export { tailLog };
