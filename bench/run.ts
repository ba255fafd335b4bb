/*
 * npm run bench: our gateway against the REST ceiling and two baselines a user might pick
 * instead, on one machine, in one run. See bench/README.md for what each number means.
 *
 *   npm run bench -- [--targets=direct,raw-proxy,gateway,naive-yoga,apollo-rest]
 *                    [--paths=sessions,sessions-64-keys,send-signal,signals,hosts-agent,hosts-host]
 *                    [--duration=10] [--rounds=3] [--connections=50] [--rate=500] [--one-key] [--matrix]
 *
 * Over 250 lines on purpose: the runner reads as one sequence (build, start, verify, rounds, report).
 */
import { availableParallelism } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
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
import { parseOptions, type BenchOptions, type PathName, type TargetName } from './lib/options.js';
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
  limitSlope,
  limitSlopeLines,
  matrixTable,
  pathSummary,
  pathTable,
  perRequestProblems,
  writeResults,
  type StartupTime,
  type TargetResult,
} from './lib/report.js';
import { fetchAnswer, verifyOne, verifySame, type Answer } from './lib/verify.js';
import { liveTable, runLiveBench, writeLiveResults } from './live.js';
import {
  aliasedQuery,
  hostQuery,
  hostsAgentQuery,
  restCall,
  restHostsCall,
  restSignalPost,
  restSignalsCall,
  sendSignalMutation,
  sessionsQuery,
  signalsQuery,
  type Workload,
} from './lib/workloads.js';
import { BENCH_AGENT_ID } from './fixtures.js';
import { gatewayNodeArgs, startCommandEnv } from '../scripts/gateway-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = fileURLToPath(new URL('results/', import.meta.url));

/**
 * Node scripts of each process, built to plain JavaScript so no target pays for a TS loader. The
 * build mirrors the repository below bench/dist/, since they share src/agentmc-wire.ts.
 */
const SCRIPTS = {
  upstream: 'bench/dist/bench/upstream.js',
  'raw-proxy': 'bench/dist/bench/baselines/raw-proxy.js',
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

/** Which AgentMC API generation a fake upstream speaks (`BENCH_API_GENERATION`, bench/upstream.ts). */
type Generation = 'agents' | 'hosts';

interface Upstream {
  readonly service: Service;
  observed(pid: number): Observed;
}

function startUpstreamService(pinned: boolean, generation: Generation): Promise<Service> {
  return startService({
    name: generation === 'agents' ? 'upstream' : `upstream (${generation})`,
    args: [SCRIPTS.upstream],
    env: environment({ BENCH_API_GENERATION: generation }),
    cpu: pinned ? LOAD_CPU : undefined,
  });
}

async function startUpstream(pinned: boolean, generation: Generation = 'agents'): Promise<Upstream> {
  const service = await startUpstreamService(pinned, generation);
  const statsUrl = new URL('/__stats', service.url);
  const upstreamStats = async () => (await (await fetch(statsUrl)).json()) as UpstreamStats;
  return { service, observed: (pid) => ({ pid, upstreamPid: service.pid, upstreamStats }) };
}

/**
 * The gateway's script: `npm start`'s, or `BENCH_GATEWAY_SCRIPT` to measure another build (an
 * older commit's, built in a worktree) under the same load, flags and upstream.
 */
function gatewayArgs(): string[] {
  const args = gatewayNodeArgs({ from: 'dist' });
  const other = process.env.BENCH_GATEWAY_SCRIPT;
  return other === undefined ? args : [...args.slice(0, -1), other];
}

async function startGraphqlTarget(name: Exclude<TargetName, 'direct'>, upstreamUrl: string, pinned: boolean) {
  return startService({
    name,
    // The gateway runs as `npm start` runs it, heap flags included.
    args: name === 'gateway' ? gatewayArgs() : [SCRIPTS[name]],
    // The gateway in production mode keeps every guard on; LOG_LEVEL=info is its default. It
    // finds the generation as it does by default: from the upstream's published document.
    env: environment({
      ...(name === 'gateway' ? startCommandEnv() : {}),
      AGENTMC_API_URL: upstreamUrl,
      LOG_LEVEL: 'info',
      AGENTMC_API_GENERATION: 'auto',
    }),
    cpu: pinned ? TARGET_CPU : undefined,
  });
}

/** Fresh starts per target for the time from start to first answer; the median is reported. */
const STARTS = 3;
/** A start that has not answered right by then fails the run. */
const START_TIMEOUT_MS = 20_000;

/**
 * Spawn → first right answer of a fresh process: the clock starts before the spawn, and the
 * request (the workload's own, checked as in verification) is sent as soon as the process says it
 * listens, again every 2 ms until one is right. The process is stopped afterwards.
 */
async function timeToFirstAnswer(
  label: string,
  start: () => Promise<Service>,
  workloadOf: (service: Service) => Workload,
): Promise<number> {
  const began = performance.now();
  const service = await start();
  try {
    const workload = workloadOf(service);
    let last = 'no answer';
    while (performance.now() - began < START_TIMEOUT_MS) {
      try {
        const answer = await fetchAnswer(label, workload);
        const problem = answer.status === 200 ? workload.check(answer.json) : `HTTP ${answer.status}`;
        if (problem === null) return performance.now() - began;
        last = problem;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await delay(2);
    }
    throw new Error(`${label}: no right answer within ${START_TIMEOUT_MS} ms of its start (${last})`);
  } finally {
    await service.stop();
  }
}

/** Each target's time from start to first answer, over STARTS fresh processes of its own. */
async function startupTimes(
  names: readonly TargetName[],
  pinned: boolean,
  upstream: Upstream,
): Promise<Map<string, StartupTime>> {
  const times = new Map<string, StartupTime>();
  for (const name of names) {
    const samplesMs: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      samplesMs.push(
        name === 'direct'
          ? await timeToFirstAnswer(
              name,
              () => startUpstreamService(pinned, 'agents'),
              (service) => restCall(service.url),
            )
          : await timeToFirstAnswer(
              name,
              () => startGraphqlTarget(name, upstream.service.url, pinned),
              (service) => sessionsQuery(service.url),
            ),
      );
    }
    const sorted = [...samplesMs].sort((a, b) => a - b);
    const medianMs = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
    times.set(name, { medianMs, samplesMs });
    log(
      `  ${name}: start → first answer ${samplesMs.map((ms) => ms.toFixed(0)).join(', ')} ms (median ${medianMs.toFixed(0)})`,
    );
  }
  return times;
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
  // After verification, so that the runner's own HTTP client is warm for every target alike.
  log(`start → first answer: ${STARTS} fresh starts per target`);
  const startup = await startupTimes(options.targets, pinned, upstream);
  const results: TargetResult[] = [];
  for (const target of targets) {
    log(`measuring ${target.name} (${target.workload.method} ${target.workload.url})`);
    const result = await measure(target, options, upstream.observed(target.service.pid), {
      warmup: true,
      fixedRate: true,
    });
    const time = startup.get(target.name);
    results.push(time === undefined ? result : { ...result, startup: time });
  }
  const gateway = targets.find((target) => target.name === 'gateway')?.service;
  return { results, gateway };
}

/** A path measured on the gateway beside its REST call on `direct`: what each sends, and to which upstream. */
interface PathSpec {
  readonly generation: Generation;
  /** The log's and the table's description. */
  readonly title: string;
  readonly direct: (upstreamUrl: string) => Workload;
  readonly gateway: (graphqlUrl: string) => Workload;
  /** A mutation: its upstream POSTs per request must be 1.00. Otherwise its upstream calls must… */
  readonly mutation: boolean;
  /** …unless its keys repeat, when concurrent requests of one key share a call: then it is reported. */
  readonly shared?: boolean;
}

/** The sharing workload: 64 keys over the 50 connections. */
const SHARING_KEYS = 64;

const PATHS: Readonly<Record<Exclude<PathName, 'sessions'>, PathSpec>> = {
  'sessions-64-keys': {
    generation: 'agents',
    title: `the comparison's query and REST call, each request with one of ${SHARING_KEYS} keys drawn at random`,
    direct: (url) => ({ ...restCall(url), keyCount: SHARING_KEYS }),
    gateway: (url) => ({ ...sessionsQuery(url), keyCount: SHARING_KEYS }),
    mutation: false,
    shared: true,
  },
  'send-signal': {
    generation: 'agents',
    title: 'sendRealtimeSignal through the gateway, the same POST direct',
    direct: restSignalPost,
    gateway: sendSignalMutation,
    mutation: true,
  },
  signals: {
    generation: 'agents',
    title:
      'agent { realtimeSignals(sessionId: "9001", limit: 50) { signals { id type payload } nextAfterId hasMore } } ' +
      'through the gateway, GET /agents/realtime/sessions/9001/signals?limit=50 direct',
    direct: (url) => restSignalsCall(url),
    gateway: (url) => signalsQuery(url),
    mutation: false,
  },
  'hosts-agent': {
    generation: 'hosts',
    title:
      'hosts generation, host keys: agent(id: "7") { requestedSessions(limit: 20) } through the gateway, ' +
      'GET /hosts/realtime/sessions/requested?limit=20 with X-Agent-Id: 7 direct',
    direct: (url) => restHostsCall(url, BENCH_AGENT_ID),
    gateway: (url) => hostsAgentQuery(url),
    mutation: false,
  },
  'hosts-host': {
    generation: 'hosts',
    title:
      'hosts generation, host keys: host { requestedSessions(limit: 20) } through the gateway, ' +
      'GET /hosts/realtime/sessions/requested?limit=20 without X-Agent-Id direct',
    direct: (url) => restHostsCall(url, undefined),
    gateway: (url) => hostQuery(url),
    mutation: false,
  },
};

/** The upstream and the gateway of each generation, started once when a path first needs them. */
class Fleet {
  readonly #upstreams = new Map<Generation, Promise<Upstream>>();
  readonly #gateways = new Map<Generation, Promise<Service>>();

  constructor(
    private readonly pinned: boolean,
    agentsUpstream: Upstream,
  ) {
    this.#upstreams.set('agents', Promise.resolve(agentsUpstream));
  }

  /** The gateway the sessions comparison started: reused, warm, for the agents generation. */
  adoptGateway(service: Service | undefined): void {
    if (service) this.#gateways.set('agents', Promise.resolve(service));
  }

  upstream(generation: Generation): Promise<Upstream> {
    let upstream = this.#upstreams.get(generation);
    if (!upstream) this.#upstreams.set(generation, (upstream = startUpstream(this.pinned, generation)));
    return upstream;
  }

  async gateway(generation: Generation): Promise<Service> {
    let gateway = this.#gateways.get(generation);
    if (!gateway) {
      const { url } = (await this.upstream(generation)).service;
      this.#gateways.set(generation, (gateway = startGraphqlTarget('gateway', url, this.pinned)));
    }
    return gateway;
  }
}

/**
 * One path beside its floor: the gateway's query or mutation and the same REST call on `direct`,
 * max-rate rounds only (a path's cost and its upstream calls, not a latency target), keys rotated
 * as in the comparison. The gateway of the path's generation is reused across paths, warm.
 */
async function measurePath(
  path: Exclude<PathName, 'sessions'>,
  options: BenchOptions,
  fleet: Fleet,
): Promise<TargetResult[]> {
  const spec = PATHS[path];
  const upstream = await fleet.upstream(spec.generation);
  const targets: Target[] = [];
  if (options.targets.includes('direct')) {
    targets.push({ name: 'direct', service: upstream.service, workload: spec.direct(upstream.service.url) });
  }
  if (options.targets.includes('gateway')) {
    const service = await fleet.gateway(spec.generation);
    targets.push({ name: 'gateway', service, workload: spec.gateway(service.url) });
  }
  if (targets.length === 0) {
    log(`${path}: skipped (measured on direct and gateway only, and --targets names neither)`);
    return [];
  }
  for (const target of targets) await verifyOne(`${target.name} ${path}`, target.workload);
  log(`verified: ${targets.map((target) => target.name).join(', ')} answer the ${path} path correctly`);
  const results: TargetResult[] = [];
  for (const target of targets) {
    log(`measuring ${target.name} ${path} (${target.workload.method} ${target.workload.url})`);
    const result = await measure(target, options, upstream.observed(target.service.pid), {
      warmup: true,
      fixedRate: false,
    });
    // A mutation reaches AgentMC exactly once, never zero times or twice; a read with its key
    // rotated shares nothing, so it is exactly one call too (with --one-key, sharing makes fewer).
    const wrong =
      target.name !== 'gateway'
        ? []
        : spec.mutation
          ? perRequestProblems(result, 'upstreamPostsPerRequest', 1)
          : options.oneKey || spec.shared
            ? []
            : perRequestProblems(result, 'upstreamCallsPerRequest', 1);
    for (const problem of wrong) log(`  gateway ${path}: ${problem}`);
    results.push({ ...result, problems: result.problems + wrong.length });
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
  const paths = new Map<Exclude<PathName, 'sessions'>, TargetResult[]>();
  if (options.matrix) {
    results = await costMatrix(options, pinning.pinned, upstream);
  } else {
    const fleet = new Fleet(pinning.pinned, upstream);
    if (options.paths.includes('sessions')) {
      let gateway: Service | undefined;
      ({ results, gateway } = await compareTargets(options, pinning.pinned, upstream));
      fleet.adoptGateway(gateway);
    }
    for (const path of options.paths) {
      if (path !== 'sessions') paths.set(path, await measurePath(path, options, fleet));
    }
  }
  const upstreamUrl = upstream.service.url;
  const sendSignal = paths.get('send-signal') ?? [];
  const slope = options.matrix ? limitSlope(results) : undefined;

  const keys = options.oneKey ? 'one shared API key' : `${API_KEY_COUNT} API keys rotated per request`;
  log('');
  const what = options.matrix ? 'cost matrix (gateway)' : results.length > 0 ? 'comparison' : 'paths';
  // The fixed-rate round is the comparison's alone; the matrix and the paths run max-rate rounds only.
  const fixedRate = what === 'comparison' ? `; fixed rate ${options.rate} req/s` : '';
  log(
    `${what}: ${options.rounds} × ${options.duration} s max-rate rounds, ` +
      `${options.connections} connections, ${keys}${fixedRate}; pinned: ${pinning.pinned ? 'yes' : 'no'}`,
  );
  if (results.length > 0) log(options.matrix ? matrixTable(results) : comparisonTable(results));
  const compared = options.matrix ? {} : comparisons(results);
  for (const line of comparisonLines(compared)) log(line);
  for (const line of slope ? limitSlopeLines(slope) : []) log(line);
  const startupMs = Object.fromEntries(
    results.flatMap((result) => (result.startup ? [[result.name, result.startup.medianMs] as const] : [])),
  );
  if (Object.keys(startupMs).length > 0) {
    const each = Object.entries(startupMs).map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`);
    log(`start → first answer (median of ${STARTS} starts): ${each.join(', ')}`);
  }
  for (const [path, pathResults] of paths) {
    if (pathResults.length === 0) continue;
    log('');
    log(`${path} path: ${PATHS[path].title}; max-rate rounds only`);
    log(pathTable(path, pathResults, PATHS[path].mutation));
  }

  const everyPath = [...paths].flatMap(([path, pathResults]) =>
    pathResults.map((result) => ({ ...result, name: `${result.name} ${path}` })),
  );
  for (const result of [...results, ...everyPath]) {
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
  const flagged = [...results, ...everyPath]
    .filter((result) => result.problems > 0)
    .map((result) => result.name);
  for (const name of flagged) {
    log(
      `FLAGGED: ${name} had failed or wrong responses (or upstream POSTs or calls per request other than 1.00) during measurement`,
    );
  }
  const file = await writeResults(
    RESULTS_DIR,
    startedAt,
    {
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
      ...(Object.keys(startupMs).length > 0 ? { startupMs } : {}),
      ...(slope ? { limitSlope: slope } : {}),
      ...(sendSignal.length > 0 ? { sendSignal: sendSignalSummary(sendSignal) } : {}),
      paths: Object.fromEntries(
        [...paths]
          .filter(([path, pathResults]) => path !== 'send-signal' && pathResults.length > 0)
          .map(([path, pathResults]) => [path, pathSummary(pathResults)]),
      ),
      flagged,
    },
    options.matrix ? 'matrix-latest.json' : 'latest.json',
  );
  log(`results: ${file} (and bench/results/${options.matrix ? 'matrix-latest.json' : 'latest.json'})`);
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
