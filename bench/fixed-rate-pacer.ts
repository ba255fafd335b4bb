/*
 * The fixed-rate round's load generator, in a process of its own: an open loop at an even pace.
 * Request i is due at start + i / rate and is sent then, whether or not earlier ones have been
 * answered, and its latency runs from that due time, not from when it actually went out: a stall
 * in the target (or in this process) counts against every request it held back, instead of
 * quietly delaying the next ones (no coordinated omission). autocannon's `overallRate` is not used
 * because it releases each second's requests in a burst at the start of the second, and its
 * latencies then measured the queue that burst made.
 *
 * Node's timers wake about once a millisecond at best, so the pacer sleeps until the next due
 * time and, when it wakes, sends every request that is due by then. A request can therefore go
 * out up to about 1 ms late, and that lateness is part of its latency, for every target alike.
 *
 * Why not in the runner: there, after autocannon's rounds had grown its heap, the runner's own
 * garbage-collection pauses landed in every target's latencies (`direct` at 500 req/s: p50 1 ms,
 * p99 anywhere from 9 to 21 ms between runs). This process starts fresh, inherits the runner's
 * pinning to the load CPU and does nothing else.
 *
 * Protocol (IPC, see lib/fixed-rate.ts): the runner forks it and sends a PacerJob; it warms up and
 * answers `{ ready: true }`; the runner starts its readings and sends `{ go: true }`; it answers
 * with the PacerOutcome and exits.
 *
 * Over 250 lines on purpose: the pacer, its clock and its report are one loop that must stay in one process.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import type { LoadOutcome } from './lib/load.js';
import { apiKeys, REQUEST_TIMEOUT_S, SPOT_CHECK_EVERY, type KeyKind } from './lib/requests.js';

export interface PacerJob {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly body: string | undefined;
  /** Every header but the API key. */
  readonly headers: Record<string, string>;
  readonly oneKey: boolean;
  readonly keyKind: KeyKind;
  /** Requests per second, evenly spaced; `connections` only bounds how many may be in flight. */
  readonly rate: number;
  readonly durationS: number;
  readonly connections: number;
}

/** The round as the runner's other rounds report it, with the bodies to check instead of a count. */
export type PacerOutcome = Omit<LoadOutcome, 'mismatches'> & {
  /** Every SPOT_CHECK_EVERY-th body, for the runner to check against the workload. */
  readonly checkedBodies: readonly string[];
};

export type PacerMessage = { ready: true } | { outcome: PacerOutcome } | { failed: string };

/**
 * Requests sent, a few at a time, before the round and outside its readings: they open
 * connections and get undici's request path compiled, which otherwise made the first dozen or so
 * requests of the round 10-30 ms late, enough to move a p99.
 */
const WARMUP_REQUESTS = 200;
const WARMUP_CONCURRENCY = 4;
/** A slow target gets fewer warm-up requests, a failing one (first error) none more. */
const WARMUP_MAX_MS = 2000;
/**
 * Seconds at the round's own rate, unrecorded, before the readings start, so that the round
 * measures the steady state at that rate and not the step down from the max-rate rounds. Longer
 * than the gateway's upstream keep-alive (UPSTREAM_KEEP_ALIVE_MS, 4 s): the first seconds after
 * the step close the upstream connections the max rate opened, and each first close sends V8 back
 * through undici's socket and parser code (`--trace-deopt`: ~60 deoptimisations and recompiles in
 * the round against 9 without the closes), which a production gateway pays once per load drop.
 */
const SETTLE_AT_RATE_S = 6;

/** What every request of the round shares. */
interface Requester {
  readonly job: PacerJob;
  readonly pool: Pool;
  readonly path: string;
  readonly nextKey: () => string;
}

function request(requester: Requester) {
  const { job } = requester;
  return requester.pool.request({
    path: requester.path,
    method: job.method,
    headers: { ...job.headers, 'x-api-key': requester.nextKey() },
    body: job.body ?? null,
  });
}

async function warmUp(requester: Requester): Promise<void> {
  let left = WARMUP_REQUESTS;
  const until = performance.now() + WARMUP_MAX_MS;
  const worker = async () => {
    while (left-- > 0 && performance.now() < until) {
      // Unchecked: a target that fails shows it in the round itself.
      const ok = await request(requester)
        .then(({ body }) => discard(body))
        .then(
          () => true,
          () => false,
        );
      if (!ok) left = 0;
    }
  };
  await Promise.all(Array.from({ length: WARMUP_CONCURRENCY }, worker));
}

/** Percentile by nearest rank over ascending values; NaN when there are none. */
function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Milliseconds to the microsecond, enough for the table and shorter in the JSON. */
const toMicros = (ms: number) => Math.round(ms * 1000) / 1000;

/** Reads a body to its end without keeping it. */
async function discard(body: AsyncIterable<unknown>): Promise<undefined> {
  for await (const chunk of body) void chunk;
  return undefined;
}

/** undici's own timeouts (headers or body not arriving in time on a connection). */
const isTimeout = (error: unknown) =>
  error instanceof Error &&
  'code' in error &&
  (error.code === 'UND_ERR_HEADERS_TIMEOUT' || error.code === 'UND_ERR_BODY_TIMEOUT');

async function fixedRateLoad(requester: Requester): Promise<PacerOutcome> {
  const { job } = requester;
  const total = Math.max(1, Math.round(job.rate * job.durationS));
  const intervalMs = 1000 / job.rate;
  /** Latencies of the 2xx answers (as autocannon records them), in ms from each due time. */
  const latencies = new Float64Array(total);
  const checkedBodies: string[] = [];
  let recorded = 0;
  let responses = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let inFlight = 0;
  /** Set when the round gave up on the requests still unanswered. */
  let expired = false;
  let lastAnswerAt = 0;
  let drained: (() => void) | undefined;

  const send = async (dueAt: number): Promise<void> => {
    inFlight++;
    try {
      const { statusCode, body } = await request(requester);
      // Only the bodies to check become strings: less garbage, fewer GC pauses in this process.
      const checked = (responses + 1) % SPOT_CHECK_EVERY === 0;
      const text = checked ? await body.text() : await discard(body);
      const answeredAt = performance.now();
      lastAnswerAt = answeredAt;
      responses++;
      if (statusCode >= 200 && statusCode < 300) latencies[recorded++] = answeredAt - dueAt;
      else non2xx++;
      if (text !== undefined) checkedBodies.push(text);
    } catch (error) {
      errors++;
      if (expired || isTimeout(error)) timeouts++;
    } finally {
      if (--inFlight === 0) drained?.();
    }
  };

  const startedAt = performance.now();
  let sent = 0;
  while (sent < total) {
    // Request i is due at startedAt + i * intervalMs: send every one due by now, late ones too.
    const due = Math.min(total, Math.floor((performance.now() - startedAt) / intervalMs) + 1);
    while (sent < due) void send(startedAt + sent++ * intervalMs);
    if (sent < total) await delay(Math.max(0, startedAt + sent * intervalMs - performance.now()));
  }
  // Wait for the last answers so that their latencies count. A request on a connection times out
  // by the pool's own timeouts; one still unanswered (or queued behind stuck connections) the
  // timeout after the last was sent is failed here and counted as a timeout. (No per-request
  // AbortSignal.timeout: 10 s timers and signals outliving thousands of requests made V8's
  // scavenges copy them again and again: pauses of 2-6 ms, in the p99.)
  if (inFlight > 0) {
    const deadline = setTimeout(() => {
      expired = true;
      requester.pool.destroy().catch(() => undefined);
    }, REQUEST_TIMEOUT_S * 1000);
    await new Promise<void>((resolve) => (drained = resolve));
    clearTimeout(deadline);
  }

  const sorted = latencies.subarray(0, recorded).sort();
  // The schedule's length, or longer when answers came after it: a target that cannot keep up
  // shows the rate it really served.
  const endedAt = Math.max(startedAt + total * intervalMs, lastAnswerAt);
  return {
    requests: responses,
    sent,
    durationS: (endedAt - startedAt) / 1000,
    latencyMs: {
      p50: toMicros(percentile(sorted, 0.5)),
      p90: toMicros(percentile(sorted, 0.9)),
      p99: toMicros(percentile(sorted, 0.99)),
      max: toMicros(percentile(sorted, 1)),
    },
    non2xx,
    errors,
    timeouts,
    checkedBodies,
  };
}

async function pace(job: PacerJob, go: Promise<void>): Promise<PacerOutcome> {
  const url = new URL(job.url);
  const timeoutMs = REQUEST_TIMEOUT_S * 1000;
  const requester: Requester = {
    job,
    // Pipelining 1: no request waits behind another on a connection; a request finding every
    // connection busy waits in the pool's queue, and that wait is part of its latency.
    pool: new Pool(url.origin, {
      connections: job.connections,
      pipelining: 1,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    }),
    path: `${url.pathname}${url.search}`,
    nextKey: apiKeys(job.oneKey, job.keyKind),
  };
  try {
    await warmUp(requester);
    await fixedRateLoad({ ...requester, job: { ...job, durationS: SETTLE_AT_RATE_S } });
    send({ ready: true });
    await go;
    return await fixedRateLoad(requester);
  } finally {
    if (!requester.pool.destroyed) await requester.pool.close();
  }
}

function send(message: PacerMessage): void {
  process.send?.(message);
}

// Started by the runner with an IPC channel; it never outlives the runner.
if (process.send === undefined) {
  process.stderr.write('fixed-rate-pacer.js is started by npm run bench\n');
  process.exit(2);
}
process.once('disconnect', () => process.exit(1));
let started: (() => void) | undefined;
const go = new Promise<void>((resolve) => (started = resolve));
process.on('message', (message: { job?: PacerJob; go?: true }) => {
  if (message.go) started?.();
  if (message.job === undefined) return;
  pace(message.job, go).then(
    (outcome) => {
      send({ outcome });
      process.disconnect();
    },
    (error: unknown) => {
      send({ failed: error instanceof Error ? error.message : String(error) });
      process.disconnect();
    },
  );
});
