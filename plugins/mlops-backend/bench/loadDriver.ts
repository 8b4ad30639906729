/**
 * A closed-loop load generator: `clients` workers each run `step` back to back until the time
 * or request budget is spent. A step records its own samples, so one step may time several
 * requests (a viewer loading status and metrics).
 */
import http from 'node:http';
import zlib from 'node:zlib';

export interface Samples {
  /** Milliseconds of each successful request. */
  latenciesMs: number[];
  errors: number;
  /** The first few error messages, to say what went wrong. */
  errorExamples: string[];
}

export interface LoadResult {
  wallMs: number;
  byLabel: Map<string, Samples>;
}

export type Recorder = (
  label: string,
  startedAt: number,
  error?: string,
) => void;

export async function runClosedLoop(options: {
  clients: number;
  seconds: number;
  /** A hard cap on steps across all clients, so the loop is bounded in count too. */
  maxSteps: number;
  step: (record: Recorder) => Promise<void>;
  /** Samples of earlier runs to add to (interleaved runs of two endpoints). */
  into?: Map<string, Samples>;
}): Promise<LoadResult> {
  const byLabel = options.into ?? new Map<string, Samples>();
  const record: Recorder = (label, startedAt, error) => {
    const samples = byLabel.get(label) ?? {
      latenciesMs: [],
      errors: 0,
      errorExamples: [],
    };
    byLabel.set(label, samples);
    if (error === undefined) {
      samples.latenciesMs.push(performance.now() - startedAt);
    } else {
      samples.errors++;
      if (samples.errorExamples.length < 5) samples.errorExamples.push(error);
    }
  };
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  let steps = 0;
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (performance.now() < deadline && steps < options.maxSteps) {
        steps++;
        await options.step(record);
      }
    }),
  );
  return { wallMs: performance.now() - started, byLabel };
}

/**
 * One keep-alive agent for every request: node:http costs the 2 shared cores far less per
 * request than fetch does, and both endpoints are timed with the same client. Like a
 * browser, it asks for gzip and unpacks what comes back.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        agent,
        method: init.method ?? 'GET',
        headers: { 'Accept-Encoding': 'gzip', ...init.headers },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          try {
            const raw = Buffer.concat(chunks);
            const body =
              res.headers['content-encoding'] === 'gzip'
                ? zlib.gunzipSync(raw)
                : raw;
            resolve({ status: res.statusCode ?? 0, text: body.toString() });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Closes the idle keep-alive connections, so the process can exit. */
export function closeConnections() {
  agent.destroy();
}

/** Times one HTTP request; a non-2xx answer or a failed `check` of the body is an error. */
export async function timedFetch(
  record: Recorder,
  label: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  check: (body: any) => string | undefined = () => undefined,
): Promise<void> {
  const startedAt = performance.now();
  try {
    const res = await send(url, init);
    if (res.status < 200 || res.status > 299) {
      record(label, startedAt, `${res.status} ${res.text.slice(0, 200)}`);
      return;
    }
    const problem = check(JSON.parse(res.text));
    record(label, startedAt, problem);
  } catch (error) {
    record(label, startedAt, (error as Error).message);
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, index)];
}

export interface Summary {
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
  errorExamples: string[];
}

export function summarize(samples: Samples | undefined, wallMs: number) {
  const sorted = [...(samples?.latenciesMs ?? [])].sort((a, b) => a - b);
  const summary: Summary = {
    requests: sorted.length + (samples?.errors ?? 0),
    errors: samples?.errors ?? 0,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    perSecond: sorted.length / (wallMs / 1000),
    errorExamples: samples?.errorExamples ?? [],
  };
  return summary;
}
