/*
 * Child processes of the benchmark: started pinned to a CPU where possible, awaited until they
 * announce their URL, and always ended — on success, on failure and on Ctrl-C — so that no run
 * leaves a server behind.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

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
}

const children = new Set<ChildProcess>();

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

/** Keeps the last `max` characters of a stream, enough to explain a crash. */
function tail(max = 4000) {
  let text = '';
  return {
    push: (chunk: Buffer) => (text = (text + chunk.toString()).slice(-max)),
    text: () => text,
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
 * `"event":"listening"` line.
 */
export async function startService(options: StartOptions): Promise<Service> {
  // Each prefix execs the next program, so the pid is node's own and /proc reads the target.
  const [command = process.execPath, ...args] = [
    ...DEATH_SIGNAL_PREFIX,
    ...(options.cpu === undefined ? [] : ['taskset', '-c', String(options.cpu)]),
    process.execPath,
    ...options.args,
  ];
  const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    children.delete(child);
  });
  const stdout = tail();
  const stderr = tail();
  // Always drained: a child blocked on a full stdout pipe would be measured as slow.
  child.stdout?.on('data', stdout.push);
  child.stderr?.on('data', stderr.push);
  const output = () => `--- stdout ---\n${stdout.text()}\n--- stderr ---\n${stderr.text()}`;

  const url = await new Promise<string>((resolve, reject) => {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const timer = setTimeout(
      () => reject(new Error(`${options.name} did not report listening within ${timeoutMs} ms\n${output()}`)),
      timeoutMs,
    );
    const onData = () => {
      const match = /"event":"listening".*?"url":"([^"]+)"|"url":"([^"]+)".*?"event":"listening"/.exec(
        stdout.text(),
      );
      const found = match?.[1] ?? match?.[2];
      if (found) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(found);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${signal ?? code}) before listening\n${output()}`));
    });
  });
  if (child.pid === undefined) throw new Error(`${options.name} has no pid`);
  return { name: options.name, pid: child.pid, url, exited: () => exited, output };
}

/** SIGTERM every child, then SIGKILL whichever has not exited after `graceMs`. */
export async function stopAll(graceMs = 3000): Promise<void> {
  const running = [...children];
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** Last resort when the runner exits abruptly: synchronous, so it runs in an 'exit' handler. */
export function killAllNow(): void {
  for (const child of children) child.kill('SIGKILL');
}

/** Runs a build step on the runner's CPU; throws with its output when it fails. */
export function runStep(label: string, command: string, args: readonly string[], cwd: string): void {
  const started = Date.now();
  const result = spawnSync(command, [...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${label} failed (${command} ${args.join(' ')}):\n${result.stdout}\n${result.stderr}`);
  }
  process.stdout.write(`${label}: ok (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
