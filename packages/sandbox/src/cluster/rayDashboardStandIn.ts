import http from 'node:http';
import type { KubeClient, KubeObject } from './kubeClient';
import { CLUSTER_DOMAIN } from './kuberay';
import { SIMULATE_ANNOTATION } from './pytorchJobStandIn';

/**
 * STAND-IN for the Ray head's dashboard Jobs API (`GET /api/jobs/<submission id>`), which
 * cannot answer from a KWOK pod. The real KubeRay operator reaches it as an HTTP proxy
 * (HTTP_PROXY, see kuberay.ts) with URLs like `http://<head-svc>.<ns>.svc.cluster.local:8265`.
 *
 * It reports the Ray job as the submitter sees it: in K8sJobMode the submitter pod runs
 * `ray job submit`, which returns when the job ends, so the job is unknown (404, as Ray
 * answers before a submission) until that pod runs, RUNNING while it runs, and SUCCEEDED when
 * it succeeded — FAILED when it failed or the RayJob carries `sandbox.mlops/simulate: failure`.
 * HTTPMode submissions (POST /api/jobs/) are refused: nothing would run them.
 */
export interface RayJobInfo {
  type: 'SUBMISSION';
  job_id: string | null;
  submission_id: string;
  status: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  entrypoint: string;
  message: string;
  start_time?: number;
  end_time?: number;
  metadata: Record<string, string>;
}

const ms = (time?: string) => (time ? Date.parse(time) : undefined);

/** Namespace of a head service host `<svc>.<ns>.svc.<domain>[:port]`, or undefined. */
export function headServiceNamespace(host: string): string | undefined {
  const name = host.replace(/:\d+$/, '');
  const suffix = `.svc.${CLUSTER_DOMAIN}`;
  if (!name.endsWith(suffix)) return undefined;
  const parts = name.slice(0, -suffix.length).split('.');
  return parts.length === 2 ? parts[1] : undefined;
}

/** What Ray's dashboard would answer for the job, from the RayJob and its submitter pod. */
export function rayJobInfo(
  rayJob: KubeObject,
  submitter: KubeObject | undefined,
): RayJobInfo | undefined {
  const phase = submitter?.status?.phase;
  if (!submitter || phase === 'Pending' || !phase) return undefined;
  const terminated = (submitter.status?.containerStatuses ?? [])
    .map((c: any) => c.state?.terminated)
    .find(Boolean);
  const simulateFailure =
    rayJob.metadata.annotations?.[SIMULATE_ANNOTATION] === 'failure';
  let status: RayJobInfo['status'] = 'RUNNING';
  let message = 'Job is currently running.';
  if (phase === 'Succeeded' && !simulateFailure) {
    status = 'SUCCEEDED';
    message = 'Job finished successfully.';
  } else if (phase === 'Succeeded' || phase === 'Failed') {
    status = 'FAILED';
    message = simulateFailure
      ? `Job entrypoint command failed with exit code 1 (simulated by ${SIMULATE_ANNOTATION})`
      : `Job entrypoint command failed with exit code ${
          terminated?.exitCode ?? 1
        }`;
  }
  const done = status !== 'RUNNING';
  return {
    type: 'SUBMISSION',
    job_id: null,
    submission_id: rayJob.status.jobId,
    status,
    entrypoint: rayJob.spec?.entrypoint ?? '',
    message,
    start_time: ms(submitter.status?.startTime),
    end_time: done ? ms(terminated?.finishedAt) ?? Date.now() : undefined,
    metadata: rayJob.spec?.metadata ?? {},
  };
}

async function findJob(
  client: KubeClient,
  namespace: string,
  submissionId: string,
): Promise<RayJobInfo | undefined> {
  const rayJobs = await client.list(
    `/apis/ray.io/v1/namespaces/${namespace}/rayjobs`,
  );
  const rayJob = rayJobs.find(j => j.status?.jobId === submissionId);
  if (!rayJob) return undefined;
  const pods = await client.list(
    `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(
      `batch.kubernetes.io/job-name=${rayJob.metadata.name}`,
    )}`,
  );
  // The newest attempt of the submitter Job speaks for the submission.
  const submitter = pods
    .filter(p => p.metadata.ownerReferences?.some(o => o.kind === 'Job'))
    .sort((a, b) =>
      String(a.metadata.creationTimestamp).localeCompare(
        String(b.metadata.creationTimestamp),
      ),
    )
    .at(-1);
  return rayJobInfo(rayJob, submitter);
}

export function serveRayDashboardStandIn(
  port: number,
  client: KubeClient,
  log: (line: string) => void,
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const host = req.headers.host ?? '';
    const url = new URL(req.url ?? '/', `http://${host}`);
    const namespace = headServiceNamespace(url.host);
    if (!namespace) {
      send(502, { error: `not a Ray head service: ${url.host}` });
      return;
    }
    const match = /^\/api\/jobs\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && match) {
      const id = decodeURIComponent(match[1]);
      findJob(client, namespace, id).then(
        info =>
          info
            ? send(200, info)
            : send(404, { error: `Job ${id} does not exist` }),
        e => send(500, { error: String(e) }),
      );
      return;
    }
    if (req.method === 'POST' && /^\/api\/jobs\/?$/.test(url.pathname)) {
      log(
        `ray dashboard stand-in: refused an HTTPMode submission in ${namespace}`,
      );
      send(501, {
        error:
          'the sandbox runs no Ray: only RayJobs in K8sJobMode get a status (from the submitter pod)',
      });
      return;
    }
    send(404, { error: `no route ${req.method} ${url.pathname}` });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
