// Over 250 lines on purpose: every table and check of one report, so the printed figures and the JSON agree.
/*
 * What a run prints and keeps: a plain table on stdout, and the whole result as JSON in
 * bench/results/ (timestamped, plus latest.json), formatted with the repository's Prettier
 * settings so that the committed latest.json passes `prettier --check`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as prettier from 'prettier';
import type { RoundResult } from './load.js';

export interface TargetResult {
  readonly name: string;
  readonly url: string;
  readonly maxRateRounds: readonly RoundResult[];
  readonly median: RoundResult;
  readonly fixedRate: RoundResult | undefined;
  readonly peakRssMb: number;
  /** non-2xx + connection errors + wrong spot-checked answers, over every measured round. */
  readonly problems: number;
  readonly warmupProblems: number;
  /** Spawn → first right answer, each of STARTS fresh processes (the comparison's targets only). */
  readonly startup?: StartupTime;
}

/** Time from a process's spawn to its first right answer, over several fresh starts. */
export interface StartupTime {
  readonly medianMs: number;
  readonly samplesMs: readonly number[];
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function comparisonTable(results: readonly TargetResult[]): string {
  const header = [
    'target',
    'req/s (median)',
    'p50 ms',
    'p99 ms',
    'fixed-rate p50/p99 ms',
    'CPU ms/req',
    'upstream calls/req',
    'peak RSS MB',
    'start→answer ms',
    'errors',
  ];
  const rows = results.map((result) => [
    result.name,
    fixed(result.median.reqPerSec, 0),
    fixed(result.median.latencyMs.p50, 1),
    fixed(result.median.latencyMs.p99, 1),
    result.fixedRate
      ? `${fixed(result.fixedRate.latencyMs.p50, 1)} / ${fixed(result.fixedRate.latencyMs.p99, 1)}`
      : 'n/a',
    fixed(result.median.cpuMsPerRequest, 3),
    fixed(result.median.upstreamCallsPerRequest, 2),
    fixed(result.peakRssMb, 1),
    result.startup ? fixed(result.startup.medianMs, 0) : 'n/a',
    result.problems === 0 ? '0' : `${result.problems} (!)`,
  ]);
  return table(header, rows);
}

export function matrixTable(results: readonly TargetResult[]): string {
  const header = [
    'gateway case',
    'req/s (median)',
    'p50 ms',
    'p99 ms',
    'CPU ms/req',
    'upstream calls/req',
    'peak RSS MB',
    'errors',
  ];
  const rows = results.map((result) => [
    result.name,
    fixed(result.median.reqPerSec, 0),
    fixed(result.median.latencyMs.p50, 1),
    fixed(result.median.latencyMs.p99, 1),
    fixed(result.median.cpuMsPerRequest, 3),
    fixed(result.median.upstreamCallsPerRequest, 2),
    fixed(result.peakRssMb, 1),
    result.problems === 0 ? '0' : `${result.problems} (!)`,
  ]);
  return table(header, rows);
}

/**
 * One path beside its floor (send-signal, hosts-agent, hosts-host, signals): one row per target,
 * its req/s as a share of `direct`'s, and for a mutation the upstream POSTs per request.
 */
export function pathTable(path: string, results: readonly TargetResult[], withPosts: boolean): string {
  const direct = results.find((result) => result.name === 'direct');
  const header = [
    path,
    'req/s (median)',
    '÷ direct',
    'p50 ms',
    'p99 ms',
    'CPU ms/req',
    ...(withPosts ? ['upstream POSTs/req'] : []),
    'upstream calls/req',
    'peak RSS MB',
    'errors',
  ];
  const rows = results.map((result) => [
    result.name,
    fixed(result.median.reqPerSec, 0),
    direct ? fixed(result.median.reqPerSec / direct.median.reqPerSec, 2) : 'n/a',
    fixed(result.median.latencyMs.p50, 1),
    fixed(result.median.latencyMs.p99, 1),
    fixed(result.median.cpuMsPerRequest, 3),
    ...(withPosts ? [fixed(result.median.upstreamPostsPerRequest, 2)] : []),
    fixed(result.median.upstreamCallsPerRequest, 2),
    fixed(result.peakRssMb, 1),
    result.problems === 0 ? '0' : `${result.problems} (!)`,
  ]);
  return table(header, rows);
}

/** The send-signal path: one row per target, upstream POSTs per mutation beside the req/s. */
export const sendSignalTable = (results: readonly TargetResult[]) => pathTable('send-signal', results, true);

/**
 * The rounds (warm-up excluded) in which a per-request upstream figure, to two decimals, was not
 * `expected`: the gateway's mutations must reach AgentMC exactly once each (POSTs 1.00), and each
 * read of a path make exactly one call (with keys rotated, nothing is shared).
 */
export function perRequestProblems(
  result: TargetResult,
  figure: 'upstreamPostsPerRequest' | 'upstreamCallsPerRequest',
  expected: number,
): string[] {
  const what =
    figure === 'upstreamPostsPerRequest' ? 'upstream POSTs per mutation' : 'upstream calls per request';
  return result.maxRateRounds
    .map((round, i) => ({ round: i + 1, value: round[figure] }))
    .filter(({ value }) => fixed(value, 2) !== fixed(expected, 2))
    .map(({ round, value }) => `round ${round}: ${fixed(value, 4)} ${what}, expected ${fixed(expected, 2)}`);
}

/** The rounds in which the gateway's mutations did not reach AgentMC exactly once each. */
export const postsPerMutationProblems = (result: TargetResult) =>
  perRequestProblems(result, 'upstreamPostsPerRequest', 1);

/** The results JSON's summary of one path: every target's rounds and the figures beside the floor. */
export function pathSummary(results: readonly TargetResult[]) {
  const gateway = results.find((result) => result.name === 'gateway');
  const direct = results.find((result) => result.name === 'direct');
  return {
    results,
    ...(gateway
      ? {
          gatewayReqPerSec: gateway.median.reqPerSec,
          gatewayCpuMsPerRequest: gateway.median.cpuMsPerRequest,
          gatewayLatencyMs: { p50: gateway.median.latencyMs.p50, p99: gateway.median.latencyMs.p99 },
          upstreamCallsPerRequest: gateway.median.upstreamCallsPerRequest,
          upstreamCallsPerRequestByRound: gateway.maxRateRounds.map((round) => round.upstreamCallsPerRequest),
        }
      : {}),
    ...(direct
      ? { directReqPerSec: direct.median.reqPerSec, directCpuMsPerRequest: direct.median.cpuMsPerRequest }
      : {}),
    ...(gateway && direct ? { gatewayOverDirect: gateway.median.reqPerSec / direct.median.reqPerSec } : {}),
  };
}

/**
 * The matrix's `limit` cases (`limit=1`, `limit=20`, `limit=100`): the gateway's CPU ms per
 * request at each, and the slope between them in µs of CPU per session of the answer.
 */
export function limitSlope(results: readonly TargetResult[]) {
  const cpu = new Map(
    results
      .map(
        (result) => [Number(/^limit=(\d+)$/.exec(result.name)?.[1]), result.median.cpuMsPerRequest] as const,
      )
      .filter(([limit]) => Number.isInteger(limit)),
  );
  const slope = (from: number, to: number) => {
    const a = cpu.get(from);
    const b = cpu.get(to);
    return a === undefined || b === undefined ? undefined : ((b - a) * 1000) / (to - from);
  };
  return {
    cpuMsPerRequestByLimit: Object.fromEntries(cpu),
    cpuUsPerSession: { from1To20: slope(1, 20), from20To100: slope(20, 100), from1To100: slope(1, 100) },
  };
}

export function limitSlopeLines(values: ReturnType<typeof limitSlope>): string[] {
  const { from1To20, from20To100, from1To100 } = values.cpuUsPerSession;
  if (from1To100 === undefined) return [];
  const us = (value: number | undefined) => (value === undefined ? 'n/a' : value.toFixed(1));
  const byLimit = Object.entries(values.cpuMsPerRequestByLimit)
    .map(([limit, ms]) => `limit ${limit}: ${ms.toFixed(3)} ms`)
    .join(', ');
  return [
    `CPU per request by limit: ${byLimit}`,
    `slope, µs of CPU per session: ${us(from1To20)} (1→20), ${us(from20To100)} (20→100), ${us(from1To100)} (1→100)`,
  ];
}

export interface Comparisons {
  readonly gatewayOverApolloRest?: number;
  readonly gatewayOverNaiveYoga?: number;
  /** Max-rate throughput as a share of the raw-proxy floor's (the "0.6 of the floor"). */
  readonly gatewayOverRawProxy?: number;
  /** Gateway p99 minus direct p99 at the fixed rate: what the GraphQL hop adds, in ms. */
  readonly gatewayFixedRateP99MinusDirectMs?: number;
  /** Gateway p99 minus raw-proxy p99 at the fixed rate, in ms. */
  readonly gatewayFixedRateP99MinusRawProxyMs?: number;
  /** Gateway CPU ms per request over raw-proxy's, both at the fixed rate. */
  readonly gatewayFixedRateCpuOverRawProxy?: number;
}

export function comparisons(results: readonly TargetResult[]): Comparisons {
  const byName = new Map(results.map((result) => [result.name, result]));
  const gateway = byName.get('gateway');
  if (!gateway) return {};
  const ratio = (name: string) => {
    const other = byName.get(name);
    return other ? gateway.median.reqPerSec / other.median.reqPerSec : undefined;
  };
  const fixedRate = (name: string) => {
    const other = byName.get(name)?.fixedRate;
    return other && gateway.fixedRate ? { gateway: gateway.fixedRate, other } : undefined;
  };
  const direct = fixedRate('direct');
  const floor = fixedRate('raw-proxy');
  const entries: [keyof Comparisons, number | undefined][] = [
    ['gatewayOverApolloRest', ratio('apollo-rest')],
    ['gatewayOverNaiveYoga', ratio('naive-yoga')],
    ['gatewayOverRawProxy', ratio('raw-proxy')],
    ['gatewayFixedRateP99MinusDirectMs', direct && direct.gateway.latencyMs.p99 - direct.other.latencyMs.p99],
    ['gatewayFixedRateP99MinusRawProxyMs', floor && floor.gateway.latencyMs.p99 - floor.other.latencyMs.p99],
    ['gatewayFixedRateCpuOverRawProxy', floor && floor.gateway.cpuMsPerRequest / floor.other.cpuMsPerRequest],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as Comparisons;
}

export function comparisonLines(values: Comparisons): string[] {
  const lines: string[] = [];
  const add = (value: number | undefined, line: (value: number) => string) => {
    if (value !== undefined) lines.push(line(value));
  };
  add(
    values.gatewayOverRawProxy,
    (v) => `throughput gateway ÷ raw-proxy:   ${v.toFixed(2)}× (target ≥ 0.60)`,
  );
  add(
    values.gatewayOverNaiveYoga,
    (v) => `throughput gateway ÷ naive-yoga:  ${v.toFixed(2)}× (target ≥ 2.50)`,
  );
  add(values.gatewayOverApolloRest, (v) => `throughput gateway ÷ apollo-rest: ${v.toFixed(2)}×`);
  add(
    values.gatewayFixedRateCpuOverRawProxy,
    (v) => `fixed-rate CPU/req, gateway ÷ raw-proxy: ${v.toFixed(2)}× (target ≤ 2.00)`,
  );
  add(
    values.gatewayFixedRateP99MinusRawProxyMs,
    (v) => `fixed-rate p99, gateway − raw-proxy: ${v.toFixed(1)} ms (target ≤ 3)`,
  );
  add(values.gatewayFixedRateP99MinusDirectMs, (v) => `fixed-rate p99, gateway − direct: ${v.toFixed(1)} ms`);
  return lines;
}

/**
 * Writes `<ISO timestamp>.json` (colons as dashes, for portable file names) and `latestName`
 * (`latest.json`; the matrix's own run, `matrix-latest.json`, so neither overwrites the other).
 */
export async function writeResults(
  directory: string,
  startedAt: Date,
  report: unknown,
  latestName = 'latest.json',
): Promise<string> {
  await mkdir(directory, { recursive: true });
  const latest = join(directory, latestName);
  const options = (await prettier.resolveConfig(latest)) ?? {};
  const text = await prettier.format(JSON.stringify(report), { ...options, parser: 'json' });
  const stamped = join(directory, `${startedAt.toISOString().replace(/:/g, '-')}.json`);
  await writeFile(stamped, text);
  await writeFile(latest, text);
  return stamped;
}
