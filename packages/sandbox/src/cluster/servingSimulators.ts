import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../ports';
import { startProcess, stopPid, type SandboxProcess } from '../processes';
import type { KubeObject } from './kubeClient';
import { VLLM_TARGETS_FILE } from './prometheus';

/** What the sandbox reads from a vLLM container's arguments. */
export interface VllmArgs {
  model: string;
  servedModelName: string;
  maxNumSeqs: number;
  maxModelLen: number;
  gpuMemoryUtilization: number;
}

function flagValue(args: string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) return args[i + 1];
    if (args[i].startsWith(`${flag}=`)) return args[i].slice(flag.length + 1);
  }
  return undefined;
}

/** The vLLM container of a pod (by name or image), or undefined for other pods. */
export function vllmContainer(pod: KubeObject): any | undefined {
  const containers: any[] = pod.spec?.containers ?? [];
  return containers.find(
    c => c.name === 'vllm' || String(c.image ?? '').includes('vllm'),
  );
}

export function parseVllmArgs(container: any): VllmArgs {
  const args = [...(container.command ?? []), ...(container.args ?? [])].map(
    String,
  );
  const model = flagValue(args, '--model') ?? args[args.indexOf('serve') + 1];
  const servedModelName =
    flagValue(args, '--served-model-name') ?? model ?? container.name;
  return {
    model: model ?? servedModelName,
    servedModelName,
    maxNumSeqs: Number(flagValue(args, '--max-num-seqs') ?? 256),
    maxModelLen: Number(flagValue(args, '--max-model-len') ?? 8192),
    gpuMemoryUtilization: Number(
      flagValue(args, '--gpu-memory-utilization') ?? 0.9,
    ),
  };
}

export interface ServingSim {
  key: string;
  namespace: string;
  pod: string;
  container: string;
  /** The pod's `mlops/entity` label value. */
  entity?: string;
  args: VllmArgs;
  port: number;
  process: SandboxProcess;
}

/**
 * One llm-d-inference-sim per Running vLLM pod: the pod is fake (KWOK), the simulator is
 * the process that answers for it, on 127.0.0.1 with the real `vllm:*` metric names.
 * Prometheus finds them through a file_sd targets file labelled with the pod's identity.
 */
export class ServingSimulators {
  private readonly sims = new Map<string, ServingSim>();
  /** When a simulator last exited on its own, so a crashing one restarts at most every 10 s. */
  private readonly exitedAt = new Map<string, number>();

  constructor(
    private readonly options: {
      binary: string;
      workDir: string;
      log: (line: string) => void;
    },
  ) {}

  list(): ServingSim[] {
    return [...this.sims.values()];
  }

  async reconcile(pods: KubeObject[]): Promise<void> {
    const wanted = new Map<string, KubeObject>();
    for (const pod of pods) {
      if (
        pod.status?.phase === 'Running' &&
        !pod.metadata.deletionTimestamp &&
        vllmContainer(pod)
      ) {
        wanted.set(`${pod.metadata.namespace}/${pod.metadata.name}`, pod);
      }
    }
    let changed = false;
    for (const [key, sim] of this.sims) {
      if (!wanted.has(key) || !sim.process.isRunning()) {
        if (!sim.process.isRunning()) this.exitedAt.set(key, Date.now());
        this.sims.delete(key);
        await stopPid(sim.process.pid, 5000);
        this.options.log(`vllm simulator for ${key} stopped`);
        changed = true;
      }
    }
    for (const [key, pod] of wanted) {
      if (this.sims.has(key)) continue;
      if (Date.now() - (this.exitedAt.get(key) ?? 0) < 10_000) continue;
      this.sims.set(key, await this.start(key, pod));
      changed = true;
    }
    if (changed) this.writeTargets();
  }

  private async start(key: string, pod: KubeObject): Promise<ServingSim> {
    const container = vllmContainer(pod);
    const args = parseVllmArgs(container);
    const port = await freePort();
    const logDir = path.join(this.options.workDir, 'sims');
    fs.mkdirSync(logDir, { recursive: true });
    // `env` execs the simulator (same pid); its KV-cache model wants POD_IP set.
    const process = startProcess(
      `llm-d-inference-sim ${key}`,
      'env',
      [
        `POD_IP=127.0.0.1`,
        `POD_NAME=${pod.metadata.name}`,
        `POD_NAMESPACE=${pod.metadata.namespace}`,
        this.options.binary,
        `--port=${port}`,
        `--model=${args.model}`,
        `--served-model-name=${args.servedModelName}`,
        `--max-num-seqs=${args.maxNumSeqs}`,
        `--max-model-len=${args.maxModelLen}`,
        // Never reach a model hub for a tokenizer.
        '--force-dummy-tokenizer',
        '--mode=random',
        '--time-to-first-token=150ms',
        '--time-to-first-token-std-dev=40ms',
        '--inter-token-latency=20ms',
        '--inter-token-latency-std-dev=5ms',
        '--enable-kvcache',
        '--kv-cache-size=2048',
        '--block-size=16',
        '--seed=42',
      ],
      {
        logFile: path.join(
          logDir,
          `${pod.metadata.namespace}_${pod.metadata.name}.log`,
        ),
      },
    );
    this.options.log(
      `vllm simulator for ${key} (${args.servedModelName}) on 127.0.0.1:${port}, pid ${process.pid}`,
    );
    return {
      key,
      namespace: pod.metadata.namespace!,
      pod: pod.metadata.name,
      container: container.name,
      entity: pod.metadata.labels?.['mlops/entity'],
      args,
      port,
      process,
    };
  }

  private writeTargets() {
    const targets = this.list().map(sim => ({
      targets: [`127.0.0.1:${sim.port}`],
      // As a PodMonitor with `podTargetLabels: [mlops/entity]` labels a pod target.
      labels: {
        namespace: sim.namespace,
        pod: sim.pod,
        container: sim.container,
        ...(sim.entity ? { mlops_entity: sim.entity } : {}),
      },
    }));
    const file = path.join(this.options.workDir, VLLM_TARGETS_FILE);
    fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(targets, null, 2)}\n`);
    fs.renameSync(`${file}.tmp`, file);
  }

  pids(): number[] {
    return this.list().map(s => s.process.pid);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.list().map(s => stopPid(s.process.pid, 2000)));
    this.sims.clear();
    this.writeTargets();
  }
}
