import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { json, startFakeUpstream, type FakeUpstream } from './support/fake-upstream.js';
import { sessionsPayload } from './support/sessions.js';

const root = new URL('..', import.meta.url);
const QUERY = '{ agent { requestedSessions(limit: 50) { id status } } }';

interface RunningProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) signalGroup(child, 'SIGKILL');
});

async function groupGone(child: ChildProcess): Promise<boolean> {
  for (let waited = 0; waited < 5000; waited += 50) {
    try {
      process.kill(-(child.pid ?? 0), 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** `npm start` runs a shell, tsx and node: signal the whole group, as a terminal or an orchestrator does. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid ?? 0), signal);
  } catch {
    // already gone
  }
}

/** Starts the gateway as a user does; `command` defaults to the process entry under tsx. */
function start(
  env: Record<string, string>,
  command = ['node', '--import', 'tsx', 'src/main.ts'],
): RunningProcess {
  const [file = 'node', ...args] = command;
  const child = spawn(file, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function listeningUrl(process: RunningProcess): Promise<string> {
  for (let waited = 0; waited < 12_000; waited += 50) {
    const listening = process
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { event?: string; url?: string })
      .find((line) => line.event === 'listening');
    if (listening?.url) return listening.url;
    if (process.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gateway did not start:\n${process.stdout()}\n${process.stderr()}`);
}

async function post(url: string, headers: Record<string, string> = { 'x-api-key': 'mca_any' }) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: QUERY }),
  });
  return (await response.json()) as {
    data?: { agent: { requestedSessions: { id: string; status: string }[] } };
  };
}

describe('npm start without AGENTMC_API_URL', () => {
  it('serves the embedded demo upstream, with every status, and says so loudly', async () => {
    const gateway = start({}, ['npm', 'start', '--silent']);
    const url = await listeningUrl(gateway);

    const body = await post(url);

    const statuses = new Set(body.data?.agent.requestedSessions.map((s) => s.status));
    expect(statuses).toEqual(new Set(['REQUESTED', 'CLAIMED', 'ACTIVE', 'CLOSED', 'FAILED', 'EXPIRED']));
    expect(gateway.stderr()).toMatch(/AGENTMC_API_URL is not set: serving SAMPLE DATA/);
    // The demo upstream still wants a key, like the real one.
    const anonymous = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(
      ((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
    ).toBe('UNAUTHENTICATED');
    signalGroup(gateway.child, 'SIGTERM');
    await gateway.exit;
    // npm itself dies by the signal; what matters is that nothing it started is left running.
    expect(await groupGone(gateway.child)).toBe(true);
  });
});

describe('invalid configuration', () => {
  it('NODE_ENV=production without AGENTMC_API_URL exits 1 with one clear line', async () => {
    const gateway = start({ NODE_ENV: 'production' });

    expect(await gateway.exit).toBe(1);
    expect(gateway.stderr()).toBe(
      'Invalid configuration: AGENTMC_API_URL: required when NODE_ENV=production (the embedded demo upstream is for development only)\n',
    );
  });

  it('a bad variable exits 1 with one line naming it', async () => {
    const gateway = start({ PORT: 'http', AGENTMC_API_URL: 'https://agentmc.ai/api/v1' });

    expect(await gateway.exit).toBe(1);
    expect(gateway.stderr()).toBe('Invalid configuration: PORT: expected a port number from 0 to 65535\n');
  });
});

describe('shutdown', () => {
  let upstream: FakeUpstream | undefined;
  afterEach(async () => {
    await upstream?.close();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s finishes the in-flight request, then exits 0',
    async (signal) => {
      upstream = await startFakeUpstream();
      const slow = upstream;
      slow.respondWith((response, request) => {
        setTimeout(() => json(200, sessionsPayload())(response, request), 600);
      });
      const gateway = start({ AGENTMC_API_URL: slow.baseUrl.href });
      const url = await listeningUrl(gateway);

      const inFlight = post(url);
      while (slow.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      gateway.child.kill(signal);

      const body = await inFlight;
      expect(body.data?.agent.requestedSessions.map((s) => s.id)).toEqual(['501', '502']);
      expect(await gateway.exit).toBe(0);
      await expect(post(url)).rejects.toThrow();
      expect(gateway.stdout()).toContain(`${signal} received`);
    },
  );

  it('SIGTERM under load: every in-flight request finishes, new ones are refused, exit 0', async () => {
    upstream = await startFakeUpstream();
    const slow = upstream;
    slow.respondWith((response, request) => {
      setTimeout(() => json(200, sessionsPayload())(response, request), 500);
    });
    const gateway = start({ AGENTMC_API_URL: slow.baseUrl.href });
    const url = await listeningUrl(gateway);

    const inFlight = Array.from({ length: 20 }, (_, i) => post(url, { 'x-api-key': `mca_load_${i}` }));
    while (slow.requests.length < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    gateway.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lateArrival = post(url).then(
      () => 'served',
      () => 'refused',
    );

    const bodies = await Promise.all(inFlight);
    expect(bodies.every((body) => body.data?.agent.requestedSessions.length === 2)).toBe(true);
    expect(await lateArrival).toBe('refused');
    expect(await gateway.exit).toBe(0);
  });
});
