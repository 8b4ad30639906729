/**
 * The sandbox agent: one Node process that runs every stand-in of the tier-2 stack.
 *  - a vLLM simulator (llm-d-inference-sim) per Running vLLM pod, and their Prometheus targets
 *  - a bounded load generator against them
 *  - the DCGM exporter stand-in (per fake GPU, with pod/namespace labels)
 *  - the training-operator stand-in (PyTorchJob pods and status)
 *  - the KEDA stand-in (ScaledObject status, its HPA, target replicas)
 *  - the Ray dashboard stand-in the real KubeRay operator asks for RayJob status
 * Started by startSandboxStack() as `node <transform> agent.ts <config.json>`; stops its
 * simulators on SIGTERM/SIGINT.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadKubeConfig, ADMIN_CONTEXT } from '../kubeconfig';
import { gpuReadings, serveDcgmMetrics } from './dcgmExporter';
import { KubeClient, type KubeObject } from './kubeClient';
import { LoadGenerator, type LoadOptions } from './loadGenerator';
import { reconcilePyTorchJobs } from './pytorchJobStandIn';
import { serveRayDashboardStandIn } from './rayDashboardStandIn';
import { ScaledObjectStandIn } from './scaledObjectStandIn';
import { ServingSimulators, vllmContainer } from './servingSimulators';

export interface AgentConfig {
  kubeconfigPath: string;
  workDir: string;
  prometheusUrl: string;
  dcgmPort: number;
  /** The KubeRay operator's HTTP_PROXY: the Ray dashboard stand-in listens here. */
  rayDashboardPort: number;
  inferenceSimBinary: string;
  load: LoadOptions;
  /** File the agent keeps the simulator pids in, so `down` can stop them if it died. */
  simPidsFile: string;
}

const log = (line: string) =>
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);

async function main(configFile: string) {
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as AgentConfig;
  const client = new KubeClient(
    loadKubeConfig(config.kubeconfigPath, ADMIN_CONTEXT),
  );
  const sims = new ServingSimulators({
    binary: config.inferenceSimBinary,
    workDir: config.workDir,
    log,
  });
  const load = new LoadGenerator(config.load, () => sims.list());
  const keda = new ScaledObjectStandIn(client, config.prometheusUrl);
  let pods: KubeObject[] = [];
  let nodes: KubeObject[] = [];

  const podLoad = (pod: KubeObject) => {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (pod.metadata.labels?.['training.kubeflow.org/job-name']) {
      return { busy: 0.93, memoryFraction: 0.78 };
    }
    if (vllmContainer(pod)) {
      const sim = sims.list().find(s => s.key === key);
      if (!sim) return { busy: 0, memoryFraction: 0 };
      const inFlight = load.inFlightFor(key);
      return {
        busy: Math.min(
          1,
          0.03 + inFlight / Math.max(4, sim.args.maxNumSeqs / 2),
        ),
        memoryFraction: sim.args.gpuMemoryUtilization,
      };
    }
    return { busy: 0.5, memoryFraction: 0.5 };
  };
  const server = await serveDcgmMetrics(config.dcgmPort, () =>
    gpuReadings(nodes, pods, podLoad),
  );
  const rayDashboard = await serveRayDashboardStandIn(
    config.rayDashboardPort,
    client,
    log,
  );
  load.start();
  log(
    `agent up: DCGM stand-in on 127.0.0.1:${config.dcgmPort}, Ray dashboard stand-in on 127.0.0.1:${config.rayDashboardPort}, load ${config.load.rps} rps for ${config.load.durationSeconds}s`,
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    load.stop();
    server.close();
    rayDashboard.close();
    await sims.stopAll();
    fs.rmSync(config.simPidsFile, { force: true });
    log('agent stopped');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  let lastError = '';
  while (!stopping) {
    const started = Date.now();
    try {
      [pods, nodes] = await Promise.all([
        client.list('/api/v1/pods'),
        client.list('/api/v1/nodes'),
      ]);
      await sims.reconcile(pods);
      fs.writeFileSync(config.simPidsFile, `${sims.pids().join('\n')}\n`);
      await reconcilePyTorchJobs(client);
      await keda.reconcileAll();
      lastError = '';
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (message !== lastError) log(`pass failed: ${message}`);
      lastError = message;
    }
    await new Promise(r =>
      setTimeout(r, Math.max(200, 1000 - (Date.now() - started))),
    );
  }
}

if (require.main === module) {
  main(path.resolve(process.argv[2])).catch(e => {
    log(`agent failed: ${e instanceof Error ? e.stack : e}`);
    process.exit(1);
  });
}
