/*
 * One autocannon round (warm-up or max-rate) against one workload, and the outside readings
 * around any round: the target's CPU time and peak RSS from /proc, the upstream's request
 * counter. The fixed-rate round (fixed-rate.ts) shares the readings and spot checks. The
 * autocannon load runs in this process, which the runner pinned to the load CPU.
 */
import { setTimeout as delay } from 'node:timers/promises';
import autocannon from 'autocannon';
import { availableParallelism } from 'node:os';
import { allProcessesCpuMs, cpuMs, otherProcessesCpuMs, sampleRss } from './proc-stats.js';
import { apiKeys, REQUEST_TIMEOUT_S, requestHeaders, SPOT_CHECK_EVERY } from './requests.js';
import type { Workload } from './workloads.js';

/** Pause after a round before the CPU and upstream counters are read. */
const SETTLE_MS = 300;

export interface LoadSettings {
  readonly durationS: number;
  readonly connections: number;
  readonly oneKey: boolean;
}

export interface RoundResult {
  readonly kind: 'warmup' | 'max-rate' | 'fixed-rate';
  /** Responses received (reqPerSec counts these). */
  readonly requests: number;
  /** Requests sent, the in-flight ones at the end included (CPU and upstream calls per these). */
  readonly sent: number;
  readonly durationS: number;
  readonly reqPerSec: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly non2xx: number;
  /** Connection errors, timeouts included. */
  readonly errors: number;
  readonly timeouts: number;
  /** Spot-checked answers that were wrong. */
  readonly mismatches: number;
  readonly firstMismatch: string | undefined;
  readonly cpuMsPerRequest: number;
  readonly upstreamCallsPerRequest: number;
  /** Signal POSTs the upstream received during the round, per request sent (a mutation: 1.00). */
  readonly upstreamPostsPerRequest: number;
  /** Signal POSTs the upstream answered 422 because their body was not the documented one. */
  readonly rejectedUpstreamPosts: number;
  readonly peakRssMb: number;
  /**
   * Share of the machine's CPU (all cores) that processes outside the benchmark used during the
   * round, in percent. Anything above a few percent means the numbers are not clean.
   */
  readonly otherLoadPercent: number;
}

/** What a load generator reports for a round; observeRound adds the readings around it. */
export type LoadOutcome = Pick<
  RoundResult,
  'requests' | 'sent' | 'durationS' | 'latencyMs' | 'non2xx' | 'errors' | 'timeouts' | 'mismatches'
>;

/** The fake upstream's counters (`GET /__stats`, bench/upstream.ts). */
export interface UpstreamStats {
  /** Every API request. */
  readonly requests: number;
  /** Of those, the `POST …/sessions/{id}/signals`. */
  readonly signalPosts: number;
  /** Of those, the ones answered 422 for a body that was not the documented one. */
  readonly rejectedSignalPosts: number;
}

/** What a round reads around the load: the process to watch and the upstream's counters. */
export interface Observed {
  readonly pid: number;
  /** The upstream's pid: its CPU is the benchmark's own, not background load. */
  readonly upstreamPid: number;
  upstreamStats(): Promise<UpstreamStats>;
}

/** With --one-key the request is built once; otherwise each takes the next key. */
function requestOptions(workload: Workload, oneKey: boolean): Partial<autocannon.Options> {
  const headers = requestHeaders(workload);
  const nextKey = apiKeys(oneKey, workload.keyKind, workload.keyCount);
  if (oneKey) return { headers: { ...headers, 'x-api-key': nextKey() } };
  return {
    headers,
    requests: [
      {
        setupRequest: (request) => {
          request.headers = { ...request.headers, 'x-api-key': nextKey() };
          return request;
        },
      },
    ],
  };
}

/** The spot check of a round: every Nth answer is parsed and checked, the rest only counted. */
export interface SpotCheck {
  /** Counts one answer; true when it is one to check (its body then goes to `check`). */
  takeNext(): boolean;
  /** Checks a body; false when it is wrong (the first problem is kept for the report). */
  check(body: string): boolean;
  /** For autocannon's verifyBody, which hands over every body: counts it and checks every Nth. */
  verifyBody(body: string | Buffer | undefined): boolean;
}

/** A body check cheap enough for full-rate load: parses only every Nth answer. */
function spotChecker(workload: Workload): SpotCheck & { firstProblem(): string | undefined } {
  let seen = 0;
  let first: string | undefined;
  const takeNext = () => ++seen % SPOT_CHECK_EVERY === 0;
  const check = (text: string): boolean => {
    let problem: string | null;
    try {
      problem = workload.check(JSON.parse(text));
    } catch {
      problem = `not JSON: ${text.slice(0, 200)}`;
    }
    first ??= problem ?? undefined;
    return problem === null;
  };
  return {
    takeNext,
    check,
    verifyBody: (body) => !takeNext() || check(String(body ?? '')),
    firstProblem: () => first,
  };
}

/**
 * Runs `load` between the readings of a round: CPU time, peak RSS, background load and upstream
 * calls. Every round, whatever generates its load, is measured and reported the same way.
 */
export async function observeRound(
  kind: RoundResult['kind'],
  workload: Workload,
  observed: Observed,
  load: (spotCheck: SpotCheck) => Promise<LoadOutcome>,
): Promise<RoundResult> {
  const checker = spotChecker(workload);
  const upstreamBefore = await observed.upstreamStats();
  const cpuBefore = cpuMs(observed.pid);
  const everyoneBefore = allProcessesCpuMs();
  const startedAt = performance.now();
  const rss = sampleRss(observed.pid);
  const outcome = await load(checker);
  // Requests still in flight when the load stops go on inside the target: let them land, and
  // divide CPU and upstream calls by the requests *sent*, so that they are neither lost nor
  // charged to the requests that completed.
  await delay(SETTLE_MS);
  const peakRssMb = rss.stop();
  const cpuSpent = cpuMs(observed.pid) - cpuBefore;
  const own = new Set([process.pid, observed.pid, observed.upstreamPid]);
  const otherMs = otherProcessesCpuMs(everyoneBefore, allProcessesCpuMs(), own);
  const capacityMs = (performance.now() - startedAt) * availableParallelism();
  const upstreamAfter = await observed.upstreamStats();
  const upstreamCalls = upstreamAfter.requests - upstreamBefore.requests;
  const upstreamPosts = upstreamAfter.signalPosts - upstreamBefore.signalPosts;
  const sent = Math.max(outcome.sent, outcome.requests);
  const perRequest = (value: number) => (sent > 0 ? value / sent : Number.NaN);
  return {
    kind,
    requests: outcome.requests,
    sent,
    durationS: outcome.durationS,
    reqPerSec: outcome.requests / outcome.durationS,
    latencyMs: outcome.latencyMs,
    non2xx: outcome.non2xx,
    errors: outcome.errors,
    timeouts: outcome.timeouts,
    mismatches: outcome.mismatches,
    firstMismatch: checker.firstProblem(),
    cpuMsPerRequest: perRequest(cpuSpent),
    upstreamCallsPerRequest: perRequest(upstreamCalls),
    upstreamPostsPerRequest: perRequest(upstreamPosts),
    rejectedUpstreamPosts: upstreamAfter.rejectedSignalPosts - upstreamBefore.rejectedSignalPosts,
    peakRssMb,
    otherLoadPercent: (100 * otherMs) / capacityMs,
  };
}

/** A closed-loop autocannon round: each connection sends its next request when answered. */
export async function runRound(
  kind: 'warmup' | 'max-rate',
  workload: Workload,
  settings: LoadSettings,
  observed: Observed,
): Promise<RoundResult> {
  return observeRound(kind, workload, observed, async (spotCheck) => {
    const result = await autocannon({
      url: workload.url,
      method: workload.method,
      ...(workload.body === undefined ? {} : { body: workload.body }),
      ...requestOptions(workload, settings.oneKey),
      connections: settings.connections,
      duration: settings.durationS,
      timeout: REQUEST_TIMEOUT_S,
      verifyBody: spotCheck.verifyBody,
    });
    return {
      requests: result.requests.total,
      sent: result.requests.sent,
      durationS: result.duration,
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
      },
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      mismatches: result.mismatches,
    };
  });
}

/** Everything that went wrong in a round, as one number for the table. */
export const problemCount = (round: RoundResult) =>
  round.non2xx + round.errors + round.mismatches + round.rejectedUpstreamPosts;

/** The round with the median throughput (the lower middle one for an even count). */
export function medianRound(rounds: readonly RoundResult[]): RoundResult {
  const sorted = [...rounds].sort((a, b) => a.reqPerSec - b.reqPerSec);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new Error('no rounds to take a median of');
  return median;
}
