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

/** The send-signal path: one row per target, upstream POSTs per mutation beside the req/s. */
export function sendSignalTable(results: readonly TargetResult[]): string {
  const header = [
    'send-signal',
    'req/s (median)',
    'p50 ms',
    'p99 ms',
    'CPU ms/req',
    'upstream POSTs/req',
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
    fixed(result.median.upstreamPostsPerRequest, 2),
    fixed(result.median.upstreamCallsPerRequest, 2),
    fixed(result.peakRssMb, 1),
    result.problems === 0 ? '0' : `${result.problems} (!)`,
  ]);
  return table(header, rows);
}

/**
 * The rounds (warm-up excluded) in which the gateway's mutations did not reach AgentMC exactly
 * once each: upstream POSTs per mutation sent, to two decimals, other than 1.00.
 */
export function postsPerMutationProblems(result: TargetResult): string[] {
  return result.maxRateRounds
    .map((round, i) => ({ round: i + 1, posts: round.upstreamPostsPerRequest }))
    .filter(({ posts }) => fixed(posts, 2) !== '1.00')
    .map(({ round, posts }) => `round ${round}: ${fixed(posts, 4)} upstream POSTs per mutation`);
}

export interface Comparisons {
  readonly gatewayOverApolloRest?: number;
  readonly gatewayOverNaiveYoga?: number;
  /** Gateway p99 minus direct p99 at the fixed rate: what the GraphQL hop adds, in ms. */
  readonly gatewayFixedRateP99MinusDirectMs?: number;
}

export function comparisons(results: readonly TargetResult[]): Comparisons {
  const byName = new Map(results.map((result) => [result.name, result]));
  const gateway = byName.get('gateway');
  if (!gateway) return {};
  const ratio = (name: string) => {
    const other = byName.get(name);
    return other ? gateway.median.reqPerSec / other.median.reqPerSec : undefined;
  };
  const direct = byName.get('direct');
  const overApollo = ratio('apollo-rest');
  const overNaive = ratio('naive-yoga');
  const p99Gap =
    direct?.fixedRate && gateway.fixedRate
      ? gateway.fixedRate.latencyMs.p99 - direct.fixedRate.latencyMs.p99
      : undefined;
  return {
    ...(overApollo === undefined ? {} : { gatewayOverApolloRest: overApollo }),
    ...(overNaive === undefined ? {} : { gatewayOverNaiveYoga: overNaive }),
    ...(p99Gap === undefined ? {} : { gatewayFixedRateP99MinusDirectMs: p99Gap }),
  };
}

export function comparisonLines(values: Comparisons): string[] {
  const lines: string[] = [];
  if (values.gatewayOverApolloRest !== undefined)
    lines.push(`throughput gateway ÷ apollo-rest: ${values.gatewayOverApolloRest.toFixed(2)}×`);
  if (values.gatewayOverNaiveYoga !== undefined)
    lines.push(`throughput gateway ÷ naive-yoga:  ${values.gatewayOverNaiveYoga.toFixed(2)}×`);
  if (values.gatewayFixedRateP99MinusDirectMs !== undefined)
    lines.push(`fixed-rate p99, gateway − direct: ${values.gatewayFixedRateP99MinusDirectMs.toFixed(1)} ms`);
  return lines;
}

/** Writes `<ISO timestamp>.json` (colons as dashes, for portable file names) and `latest.json`. */
export async function writeResults(directory: string, startedAt: Date, report: unknown): Promise<string> {
  await mkdir(directory, { recursive: true });
  const latest = join(directory, 'latest.json');
  const options = (await prettier.resolveConfig(latest)) ?? {};
  const text = await prettier.format(JSON.stringify(report), { ...options, parser: 'json' });
  const stamped = join(directory, `${startedAt.toISOString().replace(/:/g, '-')}.json`);
  await writeFile(stamped, text);
  await writeFile(latest, text);
  return stamped;
}
