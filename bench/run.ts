/*
 * npm run bench: our gateway against the REST ceiling and two baselines a user might pick
 * instead, on one machine, in one run. See bench/README.md for what each number means.
 *
 *   npm run bench -- [--targets=direct,gateway,naive-yoga,apollo-rest] [--paths=sessions,send-signal]
 *                    [--duration=10] [--rounds=3] [--connections=50] [--rate=500] [--one-key] [--matrix]
 *
 * Over 250 lines on purpose: the runner reads as one sequence (build, start, verify, rounds, report).
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runFixedRateRound } from './lib/fixed-rate.js';
import {
  medianRound,
  problemCount,
  runRound,
  type LoadSettings,
  type Observed,
  type UpstreamStats,
} from './lib/load.js';
import { API_KEY_COUNT } from './lib/requests.js';
import { parseOptions, type BenchOptions, type TargetName } from './lib/options.js';
import {
  LOAD_CPU,
  TARGET_CPU,
  killAllNow,
  pinRunner,
  runStep,
  startService,
  stopAll,
  type Service,
} from './lib/processes.js';
import { cpuModel } from './lib/proc-stats.js';
import {
  comparisonLines,
  comparisons,
  comparisonTable,
  matrixTable,
  postsPerMutationProblems,
  sendSignalTable,
  writeResults,
  type TargetResult,
} from './lib/report.js';
import { verifyOne, verifySame, type Answer } from './lib/verify.js';
import { liveTable, runLiveBench, writeLiveResults } from './live.js';
import {
  aliasedQuery,
  restCall,
  restSignalPost,
  sendSignalMutation,
  sessionsQuery,
  type Workload,
} from './lib/workloads.js';
import { gatewayNodeArgs } from '../scripts/gateway-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = fileURLToPath(new URL('results/', import.meta.url));

/**
 * Node scripts of each process, built to plain JavaScript so no target pays for a TS loader. The
 * build mirrors the repository below bench/dist/, since they share src/agentmc-wire.ts.
 */
const SCRIPTS = {
  upstream: 'bench/dist/bench/upstream.js',
  'naive-yoga': 'bench/dist/bench/baselines/naive-yoga.js',
  'apollo-rest': 'bench/dist/bench/baselines/apollo-rest.js',
} as const;

/** A measured process and what to send it. For `direct` the process is the upstream itself. */
interface Target {
  readonly name: string;
  readonly service: Service;
  readonly workload: Workload;
}

/** Background load above this share of the machine makes a target's numbers suspect. */
const BUSY_WARNING_PERCENT = 5;

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Only what each process needs: nothing from the caller's shell changes a target's settings. */
function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    ...extra,
  };
}

function build(): void {
  runStep('npm run build (gateway → dist/)', 'npm', ['run', 'build'], ROOT);
  runStep(
    'tsc -p bench/tsconfig.build.json (upstream, baselines → bench/dist/)',
    'npx',
    ['tsc', '-p', 'bench/tsconfig.build.json'],
    ROOT,
  );
}

interface Upstream {
  readonly service: Service;
  observed(pid: number): Observed;
}

async function startUpstream(pinned: boolean): Promise<Upstream> {
  const service = await startService({
    name: 'upstream',
    args: [SCRIPTS.upstream],
    env: environment({}),
    cpu: pinned ? LOAD_CPU : undefined,
  });
  const statsUrl = new URL('/__stats', service.url);
  const upstreamStats = async () => (await (await fetch(statsUrl)).json()) as UpstreamStats;
  return { service, observed: (pid) => ({ pid, upstreamPid: service.pid, upstreamStats }) };
}

async function startGraphqlTarget(name: Exclude<TargetName, 'direct'>, upstreamUrl: string, pinned: boolean) {
  return startService({
    name,
    // The gateway runs as `npm start` runs it, heap flags included.
    args: name === 'gateway' ? gatewayNodeArgs({ from: 'dist' }) : [SCRIPTS[name]],
    // The gateway in production mode keeps every guard on; LOG_LEVEL=info is its default.
    env: environment({ AGENTMC_API_URL: upstreamUrl, LOG_LEVEL: 'info' }),
    cpu: pinned ? TARGET_CPU : undefined,
  });
}

/** Right answers first: each target once with limit 20, GraphQL answers equal to the gateway's. */
async function verifyTargets(targets: readonly Target[]): Promise<void> {
  const graphqlAnswers: Answer[] = [];
  for (const target of targets) {
    const answer = await verifyOne(target.name, target.workload);
    if (target.workload.method === 'POST') graphqlAnswers.push(answer);
  }
  verifySame(graphqlAnswers);
  log(`verified: ${targets.map((target) => target.name).join(', ')} answer correctly and alike`);
}

function assertAlive(service: Service): void {
  if (service.exited()) throw new Error(`${service.name} exited during the run\n${service.output()}`);
}

/** Warm-up, max-rate rounds (median kept), then optionally one round at the fixed rate. */
async function measure(
  target: Target,
  options: BenchOptions,
  observed: Observed,
  { warmup, fixedRate }: { warmup: boolean; fixedRate: boolean },
): Promise<TargetResult> {
  const base: LoadSettings = {
    durationS: options.duration,
    connections: options.connections,
    oneKey: options.oneKey,
  };
  let warmupProblems = 0;
  if (warmup) {
    const round = await runRound('warmup', target.workload, { ...base, durationS: options.warmup }, observed);
    warmupProblems = problemCount(round);
    log(`  ${target.name}: warm-up ${round.reqPerSec.toFixed(0)} req/s`);
  }
  const rounds = [];
  for (let i = 1; i <= options.rounds; i++) {
    assertAlive(target.service);
    const round = await runRound('max-rate', target.workload, base, observed);
    rounds.push(round);
    log(
      `  ${target.name}: round ${i}/${options.rounds} ${round.reqPerSec.toFixed(0)} req/s, p99 ${round.latencyMs.p99} ms`,
    );
  }
  let fixed;
  if (fixedRate) {
    assertAlive(target.service);
    fixed = await runFixedRateRound(target.workload, { ...base, rate: options.rate }, observed);
    log(
      `  ${target.name}: fixed ${options.rate} req/s → p50 ${fixed.latencyMs.p50} ms, p99 ${fixed.latencyMs.p99} ms`,
    );
  }
  assertAlive(target.service);
  const measured = fixed ? [...rounds, fixed] : rounds;
  const firstMismatch = measured.find((round) => round.firstMismatch)?.firstMismatch;
  if (firstMismatch) log(`  ${target.name}: wrong answer during load: ${firstMismatch.slice(0, 300)}`);
  return {
    name: target.name,
    url: target.workload.url,
    maxRateRounds: rounds,
    median: medianRound(rounds),
    fixedRate: fixed,
    peakRssMb: Math.max(...rounds.map((round) => round.peakRssMb)),
    problems: measured.reduce((sum, round) => sum + problemCount(round), 0),
    warmupProblems,
  };
}

/** Default mode: every named target, the same limit-20 query, one after another. */
async function compareTargets(options: BenchOptions, pinned: boolean, upstream: Upstream) {
  const targets: Target[] = [];
  for (const name of options.targets) {
    if (name === 'direct') {
      targets.push({ name, service: upstream.service, workload: restCall(upstream.service.url) });
    } else {
      const service = await startGraphqlTarget(name, upstream.service.url, pinned);
      targets.push({ name, service, workload: sessionsQuery(service.url) });
    }
  }
  // The gateway's answer is the reference the others must equal.
  await verifyTargets(
    [...targets].sort((a, b) => Number(b.name === 'gateway') - Number(a.name === 'gateway')),
  );
  const results: TargetResult[] = [];
  for (const target of targets) {
    log(`measuring ${target.name} (${target.workload.method} ${target.workload.url})`);
    results.push(
      await measure(target, options, upstream.observed(target.service.pid), {
        warmup: true,
        fixedRate: true,
      }),
    );
  }
  const gateway = targets.find((target) => target.name === 'gateway')?.service;
  return { results, gateway };
}

/**
 * The send-signal path: `sendRealtimeSignal` through the gateway and the same POST on `direct`,
 * max-rate rounds only (a mutation's cost and its upstream POSTs, not a latency target). Reuses
 * the gateway the sessions comparison started, warm, or starts one.
 */
async function sendSignalPath(
  options: BenchOptions,
  pinned: boolean,
  upstream: Upstream,
  running: Service | undefined,
): Promise<TargetResult[]> {
  const targets: Target[] = [];
  if (options.targets.includes('direct')) {
    targets.push({
      name: 'direct',
      service: upstream.service,
      workload: restSignalPost(upstream.service.url),
    });
  }
  if (options.targets.includes('gateway')) {
    const service = running ?? (await startGraphqlTarget('gateway', upstream.service.url, pinned));
    targets.push({ name: 'gateway', service, workload: sendSignalMutation(service.url) });
  }
  if (targets.length === 0) {
    log('send-signal: skipped (measured on direct and gateway only, and --targets names neither)');
    return [];
  }
  for (const target of targets) await verifyOne(`${target.name} send-signal`, target.workload);
  log(`verified: ${targets.map((target) => target.name).join(', ')} answer the send-signal path correctly`);
  const results: TargetResult[] = [];
  for (const target of targets) {
    log(`measuring ${target.name} send-signal (${target.workload.method} ${target.workload.url})`);
    const result = await measure(target, options, upstream.observed(target.service.pid), {
      warmup: true,
      fixedRate: false,
    });
    // At most once, and not zero times: every mutation sent is exactly one upstream POST.
    const wrongPosts = target.name === 'gateway' ? postsPerMutationProblems(result) : [];
    for (const problem of wrongPosts) log(`  gateway send-signal: ${problem}`);
    results.push({ ...result, problems: result.problems + wrongPosts.length });
  }
  return results;
}

/** --matrix: how the gateway's cost grows with `limit` and with repeated (aliased) fields. */
async function costMatrix(options: BenchOptions, pinned: boolean, upstream: Upstream) {
  const gateway = await startGraphqlTarget('gateway', upstream.service.url, pinned);
  const workloads = [
    ...[1, 20, 100].map((limit) => sessionsQuery(gateway.url, limit)),
    ...[1, 5, 15].map((count) => aliasedQuery(gateway.url, count)),
  ];
  const cases: Target[] = workloads.map((workload) => ({ name: workload.label, service: gateway, workload }));
  for (const target of cases) await verifyOne(`gateway ${target.name}`, target.workload);
  log(`verified: gateway answers every case correctly`);
  const observed = upstream.observed(gateway.pid);
  const results: TargetResult[] = [];
  for (const [i, target] of cases.entries()) {
    log(`measuring gateway ${target.name}`);
    // One warm-up for the process; the cases after it share a warm JIT and pools.
    results.push(await measure(target, options, observed, { warmup: i === 0, fixedRate: false }));
  }
  return results;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.live) {
    build();
    const results = await runLiveBench(options.duration);
    log(liveTable(results));
    writeLiveResults(results);
    return;
  }
  const startedAt = new Date();
  const pinning = pinRunner();
  log(`pinning: ${pinning.pinned ? 'applied' : 'NOT applied'} (${pinning.reason})`);
  build();

  const upstream = await startUpstream(pinning.pinned);
  let results: TargetResult[] = [];
  let sendSignal: TargetResult[] = [];
  if (options.matrix) {
    results = await costMatrix(options, pinning.pinned, upstream);
  } else {
    let gateway: Service | undefined;
    if (options.paths.includes('sessions')) {
      ({ results, gateway } = await compareTargets(options, pinning.pinned, upstream));
    }
    if (options.paths.includes('send-signal')) {
      sendSignal = await sendSignalPath(options, pinning.pinned, upstream, gateway);
    }
  }
  const upstreamUrl = upstream.service.url;

  const keys = options.oneKey ? 'one shared API key' : `${API_KEY_COUNT} API keys rotated per request`;
  log('');
  log(
    `${options.matrix ? 'cost matrix (gateway)' : 'comparison'}: ${options.rounds} × ${options.duration} s max-rate rounds, ` +
      `${options.connections} connections, ${keys}; fixed rate ${options.rate} req/s; pinned: ${pinning.pinned ? 'yes' : 'no'}`,
  );
  if (results.length > 0) log(options.matrix ? matrixTable(results) : comparisonTable(results));
  const compared = options.matrix ? {} : comparisons(results);
  for (const line of comparisonLines(compared)) log(line);
  if (sendSignal.length > 0) {
    log('');
    log(
      `send-signal path: sendRealtimeSignal through the gateway, the same POST direct; max-rate rounds only`,
    );
    log(sendSignalTable(sendSignal));
  }

  for (const result of [...results, ...sendSignal]) {
    const other = Math.max(...result.maxRateRounds.map((round) => round.otherLoadPercent));
    if (other > BUSY_WARNING_PERCENT) {
      log(
        `NOISY: other processes used up to ${other.toFixed(0)}% of the machine's CPU while ${result.name} ran`,
      );
    }
  }
  for (const result of results) {
    const served = result.fixedRate?.reqPerSec;
    if (served !== undefined && served < options.rate * 0.95) {
      log(
        `NOTE: ${result.name} did not sustain ${options.rate} req/s (served ${served.toFixed(0)}): ` +
          'its fixed-rate latencies measure a queue, not a moderate load',
      );
    }
  }
  const flagged = [
    ...results.filter((result) => result.problems > 0).map((result) => result.name),
    ...sendSignal.filter((result) => result.problems > 0).map((result) => `${result.name} send-signal`),
  ];
  for (const name of flagged) {
    log(
      `FLAGGED: ${name} had failed or wrong responses (or POSTs per mutation other than 1.00) during measurement`,
    );
  }
  const file = await writeResults(RESULTS_DIR, startedAt, {
    mode: options.matrix ? 'matrix' : 'comparison',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    node: process.version,
    cpuModel: cpuModel(),
    cpus: availableParallelism(),
    pinned: pinning.pinned,
    pinning: pinning.reason,
    flags: options,
    apiKeys: options.oneKey ? 1 : API_KEY_COUNT,
    upstreamUrl,
    results,
    comparisons: compared,
    ...(sendSignal.length > 0 ? { sendSignal: sendSignalSummary(sendSignal) } : {}),
    flagged,
  });
  log(`results: ${file} (and bench/results/latest.json)`);
  if (flagged.length > 0) process.exitCode = 1;
}

/** The results JSON's `sendSignal`: every target's rounds, and the two figures the issue asks for. */
function sendSignalSummary(results: readonly TargetResult[]) {
  const gateway = results.find((result) => result.name === 'gateway');
  const direct = results.find((result) => result.name === 'direct');
  return {
    results,
    ...(gateway
      ? {
          gatewayReqPerSec: gateway.median.reqPerSec,
          upstreamPostsPerMutation: gateway.median.upstreamPostsPerRequest,
          upstreamPostsPerMutationByRound: gateway.maxRateRounds.map(
            (round) => round.upstreamPostsPerRequest,
          ),
        }
      : {}),
    ...(direct ? { directReqPerSec: direct.median.reqPerSec } : {}),
    ...(gateway && direct ? { gatewayOverDirect: gateway.median.reqPerSec / direct.median.reqPerSec } : {}),
  };
}

// No orphans: children end on success, on failure and on Ctrl-C; SIGKILL if the runner just exits.
process.once('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`\n${signal}: stopping every child process`);
    void stopAll(1000).finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
