import path from 'node:path';
import { startProcess, type SandboxProcess } from '../processes';

/** The cluster domain the operator puts into head service URLs (`<svc>.<ns>.svc.<domain>:8265`). */
export const CLUSTER_DOMAIN = 'cluster.local';

export interface KubeRayOperatorOptions {
  workDir: string;
  /** Admin kubeconfig: the operator runs with system:masters here, not with its Helm chart's RBAC. */
  kubeconfigPath: string;
  metricsPort: number;
  probePort: number;
  /**
   * Port of the Ray dashboard stand-in (the agent). The operator's dashboard client is a plain
   * Go http.Client, so HTTP_PROXY routes its `http://<head-svc>…:8265` requests there; the
   * API server (https on 127.0.0.1) is never proxied.
   */
  dashboardProxyPort: number;
  detached?: boolean;
}

/**
 * The real KubeRay operator (github.com/ray-project/kuberay/ray-operator, built by
 * scripts/build-binaries.sh), outside the cluster: all namespaces, no webhooks
 * (ENABLE_WEBHOOKS unset), no leader election, metrics and probes on 127.0.0.1.
 */
export function startKubeRayOperator(
  binary: string,
  options: KubeRayOperatorOptions,
): SandboxProcess {
  const proxy = `http://127.0.0.1:${options.dashboardProxyPort}`;
  return startProcess(
    'kuberay-operator',
    binary,
    [
      `--metrics-addr=127.0.0.1:${options.metricsPort}`,
      `--health-probe-bind-address=127.0.0.1:${options.probePort}`,
      '--enable-leader-election=false',
      '--log-stdout-encoder=console',
      '--reconcile-concurrency=2',
    ],
    {
      logFile: path.join(options.workDir, 'kuberay-operator.log'),
      detached: options.detached,
      env: {
        KUBECONFIG: options.kubeconfigPath,
        CLUSTER_DOMAIN,
        HTTP_PROXY: proxy,
        http_proxy: proxy,
        NO_PROXY: '',
        no_proxy: '',
        ENABLE_WEBHOOKS: 'false',
      },
    },
  );
}
