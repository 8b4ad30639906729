import type { ServingSim } from './servingSimulators';

export interface LoadOptions {
  /** Average requests per second per served model. */
  rps: number;
  /** The generator stops by itself after this many seconds. */
  durationSeconds: number;
  /** At most this many requests in flight per served model. */
  maxInFlight: number;
}

const WORDS =
  'the a model token cache batch queue latency throughput prompt answer gpu memory attention layer'.split(
    ' ',
  );

function prompt(n: number): string {
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    words.push(WORDS[Math.floor(Math.random() * WORDS.length)]);
  }
  return words.join(' ');
}

/**
 * A bounded load loop on 127.0.0.1 so the vLLM simulators' numbers move: per served model,
 * requests round-robin over its pods at a rate that swells and ebbs (0.3×–1.7× of `rps`
 * over three minutes, with a 6× burst for 10 s every 90 s so the waiting queue fills).
 * Never more than `maxInFlight` requests at once, and it stops after `durationSeconds`.
 */
export class LoadGenerator {
  private readonly inFlight = new Map<string, number>();
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private sent = 0;
  private rr = 0;
  private carry = new Map<string, number>();

  constructor(
    private readonly options: LoadOptions,
    private readonly sims: () => ServingSim[],
  ) {}

  start(): void {
    const tickMs = 100;
    this.timer = setInterval(() => this.tick(tickMs), tickMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Requests in flight to one pod (namespace/pod), for the DCGM stand-in. */
  inFlightFor(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }

  stats() {
    return { sent: this.sent, running: this.running };
  }

  rateAt(elapsedSeconds: number): number {
    const wave = 1 + 0.7 * Math.sin((2 * Math.PI * elapsedSeconds) / 180);
    const burst = elapsedSeconds % 90 >= 30 && elapsedSeconds % 90 < 40 ? 6 : 1;
    return this.options.rps * wave * burst;
  }

  private tick(tickMs: number) {
    const elapsed = (Date.now() - this.startedAt) / 1000;
    if (elapsed > this.options.durationSeconds) {
      this.stop();
      return;
    }
    const byModel = new Map<string, ServingSim[]>();
    for (const sim of this.sims()) {
      const model = `${sim.namespace}/${sim.args.servedModelName}`;
      byModel.set(model, [...(byModel.get(model) ?? []), sim]);
    }
    for (const [model, sims] of byModel) {
      const due =
        (this.carry.get(model) ?? 0) + (this.rateAt(elapsed) * tickMs) / 1000;
      let count = Math.floor(due);
      this.carry.set(model, due - count);
      const modelInFlight = sims.reduce(
        (sum, s) => sum + this.inFlightFor(s.key),
        0,
      );
      count = Math.min(count, this.options.maxInFlight - modelInFlight);
      for (let i = 0; i < count; i++) {
        this.send(sims[this.rr++ % sims.length]);
      }
    }
  }

  private send(sim: ServingSim) {
    this.sent++;
    this.inFlight.set(sim.key, this.inFlightFor(sim.key) + 1);
    const body = {
      model: sim.args.servedModelName,
      messages: [
        { role: 'user', content: prompt(20 + Math.floor(Math.random() * 200)) },
      ],
      max_tokens: 32 + Math.floor(Math.random() * 224),
      // vLLM's extension: generate exactly max_tokens, so throughput follows the load.
      ignore_eos: true,
    };
    fetch(`http://127.0.0.1:${sim.port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    })
      .then(res => res.arrayBuffer())
      .catch(() => undefined)
      .finally(() => {
        this.inFlight.set(sim.key, Math.max(0, this.inFlightFor(sim.key) - 1));
      });
  }
}
