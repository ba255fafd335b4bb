import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';

/*
 * A Redis for the tests that need one (test/live-redis.test.ts).
 *
 * - TEST_REDIS_URL set: that Redis is used as it is (nothing is started or stopped).
 * - Otherwise, `redis-server` on PATH: one is started on a free port of 127.0.0.1, with no
 *   persistence (--save '' --appendonly no) in a temporary directory, and stopped by `stop()`.
 *   `restart()` brings it back on the same port (for tests of a Redis that goes away).
 * - Neither: the tests skip, with the reason, except under CI=true where a missing Redis fails.
 */

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Whether the process is up (started and not yet stopped or exited). */
  readonly running: boolean;
  /** The server's output so far (its log goes to stdout), for failure messages. */
  output(): string;
  /**
   * Stops the server: SHUTDOWN-like SIGTERM by default (no data is saved), or SIGKILL to
   * simulate a crash. Resolves when the process has exited. Does nothing when already stopped.
   */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Stops the server if it is running, then starts a fresh, empty one on the same port. */
  restart(): Promise<void>;
}

export type TestRedis =
  /** A Redis to use; `server` is set when this process started it (stop it in afterAll). */
  | { url: string; server?: RedisServer; skip?: undefined }
  /** No Redis: why, for the skipped suite's name. */
  | { url?: undefined; server?: undefined; skip: string };

/** The path of `redis-server` on PATH, or undefined. */
export function findRedisServer(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A TCP port of 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}

/** Resolves when `PING` on 127.0.0.1:port answers `+PONG`, false if it does not within timeoutMs. */
async function pings(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

/** Every server still running when the test process exits is killed with it. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Starts `redis-server` (found on PATH unless `binary` is given) on `port` (a free one by
 * default) and resolves once it answers PING.
 */
export async function startRedisServer(
  options: { binary?: string; port?: number } = {},
): Promise<RedisServer> {
  const binary = options.binary ?? findRedisServer();
  if (binary === undefined) throw new Error('redis-server is not on PATH');
  const port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  let output = '';

  const launch = async (): Promise<void> => {
    dir = mkdtempSync(join(tmpdir(), 'agentmc-redis-'));
    output = '';
    const started = spawn(
      binary,
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(port),
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--daemonize',
        'no',
        '--logfile',
        '',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    live.add(started);
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.once('exit', () => live.delete(started));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (started.exitCode !== null || started.signalCode !== null) break;
      if (await pings(port, 500)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await stop('SIGKILL');
    throw new Error(`redis-server on 127.0.0.1:${port} did not answer PING:\n${output}`);
  };

  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
    const current = child;
    child = undefined;
    if (current !== undefined && current.exitCode === null && current.signalCode === null) {
      const exited = once(current, 'exit');
      current.kill(signal);
      const timer = setTimeout(() => current.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    output: () => output,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
  };
}

/** Why no Redis answers PING at `url`, or undefined when one does. */
export async function whyRedisIsUnreachable(url: string): Promise<string | undefined> {
  const probe = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
  });
  let cause: string | undefined;
  probe.on('error', (error: Error) => (cause ??= error.message));
  try {
    await probe.connect();
    await probe.ping();
    return undefined;
  } catch (error) {
    return cause ?? (error instanceof Error ? error.message : String(error));
  } finally {
    probe.disconnect();
  }
}

/**
 * The Redis for a test file: TEST_REDIS_URL's, or one started here, or a reason to skip.
 * Under CI=true, no Redis is an error (CI installs redis-server: .ci/run), not a skip.
 */
export async function provideTestRedis(file: string): Promise<TestRedis> {
  const fail = (why: string): TestRedis => {
    if (process.env.CI === 'true') throw new Error(`${why}; CI must run ${file}`);
    console.warn(`${file} skipped: ${why}`);
    return { skip: why };
  };
  const configured = process.env.TEST_REDIS_URL;
  if (configured !== undefined && configured !== '') {
    const unreachable = await whyRedisIsUnreachable(configured);
    if (unreachable === undefined) return { url: configured };
    return fail(`no Redis answers at ${configured} (TEST_REDIS_URL): ${unreachable}`);
  }
  if (findRedisServer() === undefined) {
    return fail('TEST_REDIS_URL is unset and redis-server is not on PATH (install Redis to run these tests)');
  }
  const server = await startRedisServer();
  return { url: server.url, server };
}
