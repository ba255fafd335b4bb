/*
 * The one way tests, the benchmark and the soak start a gateway process: Node with the flags of
 * `npm start` (read from package.json, so that what is tested and measured is what is deployed),
 * from dist/ or from src/ under tsx, awaited until it logs `"event":"listening"` with its URL,
 * and stopped by a signal whose exit is awaited. The same spawn serves any Node server that
 * announces itself with that line (the benchmark's upstream and baselines), and runs that end by
 * themselves (`--help`, a refused configuration) with their output captured.
 *
 * Over 250 lines on purpose: every way of starting a process lives here so there is one of each.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root: where package.json, dist/ and src/ are. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `npm start`'s command, read from package.json: its variables (`NAME=value` before `node`) and node's arguments. */
function startCommand(): { env: Record<string, string>; args: string[] } {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  const words = manifest.scripts.start.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] !== undefined && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [name = '', ...value] = (words.shift() ?? '').split('=');
    env[name] = value.join('=');
  }
  const [command, ...args] = words;
  if (command !== 'node') throw new Error(`package.json "start" must run node, not ${command}`);
  return { env, args };
}

/**
 * Node's arguments for the gateway exactly as `npm start` runs it (its V8 heap flags, then the
 * script), read from package.json so that the benchmark and the soak measure what is deployed.
 */
export function startCommandArgs(): string[] {
  return startCommand().args;
}

/** The variables `npm start` sets for node (glibc's `MALLOC_ARENA_MAX`): every gateway start gets them. */
export function startCommandEnv(): Record<string, string> {
  return startCommand().env;
}

export interface GatewayArgsOptions {
  /**
   * `dist`: the compiled JavaScript, as `npm start` runs it (run `npm run build` first).
   * `src`: the TypeScript sources under tsx, with the same Node flags.
   * @default 'dist'
   */
  from?: 'dist' | 'src';
  /** `main`: the process entry; `cli`: the `agentmc-graphql` command. @default 'main' */
  entry?: 'main' | 'cli';
  /** Arguments after the script: the command's flags. @default [] */
  args?: readonly string[];
}

/** Node's arguments for the gateway: `npm start`'s flags, then the chosen script and its flags. */
export function gatewayNodeArgs({
  from = 'dist',
  entry = 'main',
  args = [],
}: GatewayArgsOptions = {}): string[] {
  const start = startCommandArgs();
  const flags = start.slice(0, -1);
  const script = from === 'dist' ? `dist/${entry}.js` : `src/${entry}.ts`;
  return from === 'dist' ? [...flags, script, ...args] : [...flags, '--import', 'tsx', script, ...args];
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProcessOptions {
  /** For error messages. @default 'gateway' */
  name?: string;
  /** The program and its arguments. */
  command: readonly [string, ...string[]];
  /** The whole environment of the process: nothing else is inherited. */
  env: Record<string, string | undefined>;
  /** `inherit` passes stderr through to ours instead of capturing it. @default 'capture' */
  stderr?: 'capture' | 'inherit';
  /** Keep only the last this many characters of each stream (for long runs). @default Infinity */
  keepChars?: number;
  /**
   * Start it as the leader of a process group and signal the whole group, as a terminal or an
   * orchestrator does: needed when the program starts others (`npm start`). @default false
   */
  group?: boolean;
  /** @default REPO_ROOT */
  cwd?: string;
}

export interface RunningProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** What it printed so far (the last `keepChars` characters). */
  stdout(): string;
  stderr(): string;
  /** Both streams, labelled, for error messages. */
  output(): string;
  /** Whether it has exited. */
  exited(): boolean;
  /** Resolves when it exits. */
  readonly exit: Promise<ExitStatus>;
  /** Sends `signal` to it (to its group when started as one); nothing once it has exited. */
  signal(signal: NodeJS.Signals): void;
  /**
   * Sends `signal` (SIGTERM), waits for the exit, and sends SIGKILL past `graceMs` (5000).
   * Resolves with how it exited; at once when it already had.
   */
  stop(options?: { signal?: NodeJS.Signals; graceMs?: number }): Promise<ExitStatus>;
}

export interface ListeningProcess extends RunningProcess {
  /** The URL from its `listening` line: the gateway's GraphQL endpoint, a stand-in's base URL. */
  readonly url: URL;
}

/** Every process started here and still running, so that none outlives its starter. */
const running = new Set<RunningProcess>();

/** Keeps the last `max` characters of a stream. */
function capture(max: number) {
  let text = '';
  return {
    push: (chunk: Buffer) => {
      text += chunk.toString();
      if (text.length > max) text = text.slice(-max);
    },
    text: () => text,
  };
}

/** Starts a process, always draining its output (a child blocked on a full pipe looks slow). */
export function spawnProcess(options: ProcessOptions): RunningProcess {
  const { name = 'gateway', command, stderr = 'capture', keepChars = Infinity, group = false } = options;
  const [file, ...args] = command;
  const env = Object.fromEntries(
    Object.entries(options.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const child = spawn(file, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', stderr === 'inherit' ? 'inherit' : 'pipe'],
    detached: group,
  });
  const out = capture(keepChars);
  const err = capture(keepChars);
  child.stdout?.on('data', out.push);
  child.stderr?.on('data', err.push);

  let status: ExitStatus | undefined;
  let settle: (exit: ExitStatus) => void = () => undefined;
  const exit = new Promise<ExitStatus>((resolve) => (settle = resolve));
  const exited = (code: number | null, signal: NodeJS.Signals | null) => {
    if (status !== undefined) return;
    status = { code, signal };
    running.delete(run);
    settle(status);
  };
  child.once('exit', exited);
  // A program that cannot be started reports 'error' and never 'exit'.
  child.once('error', (error) => {
    err.push(Buffer.from(`${error.message}\n`));
    if (child.pid === undefined) exited(null, null);
  });

  const signal = (which: NodeJS.Signals) => {
    if (status !== undefined) return;
    try {
      if (group && child.pid !== undefined) process.kill(-child.pid, which);
      else child.kill(which);
    } catch {
      // already gone
    }
  };
  const run: RunningProcess = {
    name,
    child,
    pid: child.pid ?? -1,
    stdout: out.text,
    stderr: err.text,
    output: () => `--- stdout ---\n${out.text()}\n--- stderr ---\n${err.text()}`,
    exited: () => status !== undefined,
    exit,
    signal,
    async stop({ signal: first = 'SIGTERM', graceMs = 5000 } = {}) {
      if (status !== undefined) return status;
      const kill = setTimeout(() => signal('SIGKILL'), graceMs);
      signal(first);
      const result = await exit;
      clearTimeout(kill);
      return result;
    },
  };
  if (status === undefined) running.add(run);
  return run;
}

/** Resolves with the URL of the first `{"event":"listening","url":…}` line it prints on stdout. */
export function listeningUrl(run: RunningProcess, timeoutMs = 15_000): Promise<URL> {
  const stdout = run.child.stdout;
  return new Promise<URL>((resolve, reject) => {
    let pending = '';
    let done = false;
    const finish = (outcome: URL | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stdout?.off('data', onData);
      if (outcome instanceof URL) resolve(outcome);
      else reject(outcome);
    };
    const onData = (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        let entry: { event?: unknown; url?: unknown };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue;
        }
        if (entry.event === 'listening' && typeof entry.url === 'string') return finish(new URL(entry.url));
      }
    };
    const timer = setTimeout(() => {
      finish(new Error(`${run.name} did not report listening within ${timeoutMs} ms\n${run.output()}`));
      run.signal('SIGKILL');
    }, timeoutMs);
    stdout?.on('data', onData);
    void run.exit.then(({ code, signal }) =>
      finish(new Error(`${run.name} exited (${signal ?? code}) before listening\n${run.output()}`)),
    );
  });
}

/** Starts a process and waits until it reports listening; it is killed when it never does. */
export async function startListening(
  options: ProcessOptions & { timeoutMs?: number },
): Promise<ListeningProcess> {
  const run = spawnProcess(options);
  const url = await listeningUrl(run, options.timeoutMs);
  return Object.assign(run, { url });
}

export interface GatewayOptions extends GatewayArgsOptions {
  /**
   * Variables over the gateway's base environment (PATH and HOME from ours, PORT=0,
   * LOG_LEVEL=info); `undefined` removes one. Nothing else of ours is passed on.
   */
  env?: Record<string, string | undefined>;
  /** `npm` runs `npm start --silent` itself (npm's shell then node). @default 'node' */
  via?: 'node' | 'npm';
  /** A process group of its own, signalled whole (ProcessOptions.group). @default true with npm */
  group?: boolean;
  /** Programs that exec node before it (`taskset -c 0`). @default [] */
  prefix?: readonly string[];
  stderr?: ProcessOptions['stderr'];
  keepChars?: number;
  /** @default 15000 */
  timeoutMs?: number;
}

function gatewayProcessOptions(options: GatewayOptions): ProcessOptions {
  const node =
    options.via === 'npm' ? ['npm', 'start', '--silent'] : [process.execPath, ...gatewayNodeArgs(options)];
  const [file = 'node', ...args] = [...(options.prefix ?? []), ...node];
  return {
    name: options.entry === 'cli' ? 'agentmc-graphql' : 'gateway',
    command: [file, ...args],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME,
      PORT: '0',
      LOG_LEVEL: 'info',
      ...startCommandEnv(),
      ...options.env,
    },
    stderr: options.stderr,
    keepChars: options.keepChars,
    group: options.group ?? options.via === 'npm',
  };
}

/** Starts the gateway without waiting for it: for starts that are meant to fail. */
export function spawnGateway(options: GatewayOptions = {}): RunningProcess {
  return spawnProcess(gatewayProcessOptions(options));
}

/** Starts the gateway as `npm start` does and waits until it listens. */
export function startGateway(options: GatewayOptions = {}): Promise<ListeningProcess> {
  return startListening({ ...gatewayProcessOptions(options), timeoutMs: options.timeoutMs });
}

/** Runs the gateway or its command to its exit (`--help`, a refused configuration), output captured. */
export async function runGateway(
  options: GatewayOptions = {},
): Promise<ExitStatus & { stdout: string; stderr: string }> {
  const gateway = spawnGateway(options);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const timer = setTimeout(() => gateway.signal('SIGKILL'), timeoutMs);
  const status = await gateway.exit;
  clearTimeout(timer);
  return { ...status, stdout: gateway.stdout(), stderr: gateway.stderr() };
}

/** Stops every process started here that still runs (SIGTERM, then SIGKILL past `graceMs`). */
export async function stopAll(graceMs = 3000): Promise<void> {
  await Promise.all([...running].map((run) => run.stop({ graceMs })));
}

/** SIGKILL to every process started here that still runs: synchronous, for an 'exit' handler. */
export function killAllNow(): void {
  for (const run of running) run.signal('SIGKILL');
}
