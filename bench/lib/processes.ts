/*
 * Child processes of the benchmark: started pinned to a CPU where possible, awaited until they
 * announce their URL, and always ended — on success, on failure and on Ctrl-C — so that no run
 * leaves a server behind.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { startListening } from '../../scripts/gateway-process.js';

/** Targets get CPU 0; the upstream, the runner and its load generator share CPU 1. */
export const TARGET_CPU = 0;
export const LOAD_CPU = 1;

export interface Service {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  /** Whether the process has exited (a target that dies mid-run invalidates the run). */
  exited(): boolean;
  /** The last lines it printed, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL past 3 s; resolves once it has exited. */
  stop(): Promise<void>;
}

const exists = (command: string) => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * `setpriv --pdeathsig KILL` (util-linux) makes the kernel kill a child when the runner dies, even
 * by SIGKILL, when no handler of ours can run. Where it is missing, the handlers below still cover
 * normal exits, errors and Ctrl-C.
 */
const DEATH_SIGNAL_PREFIX = exists('setpriv') ? ['setpriv', '--pdeathsig', 'KILL'] : [];

/**
 * Pins this process (every thread: libuv's pool and V8's helpers too) to the load CPU, so that
 * autocannon, which runs in it, never competes with a target. Returns whether pinning applies.
 */
export function pinRunner(): { pinned: boolean; reason: string } {
  if (availableParallelism() < 2) return { pinned: false, reason: 'fewer than 2 CPUs available' };
  if (!exists('taskset')) return { pinned: false, reason: 'taskset not found' };
  const result = spawnSync('taskset', ['-a', '-cp', String(LOAD_CPU), String(process.pid)], {
    encoding: 'utf8',
  });
  if (result.status !== 0) return { pinned: false, reason: `taskset failed: ${result.stderr.trim()}` };
  return {
    pinned: true,
    reason: `targets on CPU ${TARGET_CPU}; upstream, runner and autocannon on CPU ${LOAD_CPU}`,
  };
}

export interface StartOptions {
  readonly name: string;
  /** Node arguments: a script and its flags. */
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** CPU to pin to, or undefined for none. */
  readonly cpu: number | undefined;
  readonly timeoutMs?: number;
}

/**
 * Starts `node ...args`, under `taskset -c cpu` when asked, and waits for its
 * `"event":"listening"` line (scripts/gateway-process.ts, as every gateway start).
 */
export async function startService(options: StartOptions): Promise<Service> {
  // Each prefix execs the next program, so the pid is node's own and /proc reads the target.
  const service = await startListening({
    name: options.name,
    command: [
      ...DEATH_SIGNAL_PREFIX,
      ...(options.cpu === undefined ? [] : ['taskset', '-c', String(options.cpu)]),
      process.execPath,
      ...options.args,
    ] as [string, ...string[]],
    env: options.env,
    // Enough to explain a crash; the rest is drained and dropped.
    keepChars: 4000,
    timeoutMs: options.timeoutMs ?? 20_000,
  });
  return {
    name: service.name,
    pid: service.pid,
    url: service.url.href,
    exited: service.exited,
    output: service.output,
    stop: async () => {
      await service.stop({ graceMs: 3000 });
    },
  };
}

// `stopAll()` SIGTERMs every child, then SIGKILLs whichever has not exited after `graceMs`;
// `killAllNow()` is the last resort when the runner exits abruptly (synchronous, for 'exit').
export { killAllNow, stopAll } from '../../scripts/gateway-process.js';

/** Runs a build step on the runner's CPU; throws with its output when it fails. */
export function runStep(label: string, command: string, args: readonly string[], cwd: string): void {
  const started = Date.now();
  const result = spawnSync(command, [...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${label} failed (${command} ${args.join(' ')}):\n${result.stdout}\n${result.stderr}`);
  }
  process.stdout.write(`${label}: ok (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
