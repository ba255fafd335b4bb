import { afterEach, describe, expect, it } from 'vitest';
import {
  killAllNow,
  spawnGateway,
  startGateway,
  type GatewayOptions,
  type RunningProcess,
} from '../scripts/gateway-process.js';
import { json, startFakeUpstream, type FakeUpstream } from './support/fake-upstream.js';
import { sessionsPayload } from './support/sessions.js';

const QUERY = '{ agent { requestedSessions(limit: 50) { id status } } }';

afterEach(() => killAllNow());

async function groupGone(gateway: RunningProcess): Promise<boolean> {
  for (let waited = 0; waited < 5000; waited += 50) {
    try {
      process.kill(-gateway.pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** Starts the gateway as a user does: the process entry under tsx, `npm start`'s Node flags. */
const start = (env: Record<string, string>, options: GatewayOptions = {}) =>
  startGateway({ from: 'src', env, ...options });

async function post(url: URL, headers: Record<string, string> = { 'x-api-key': 'mca_any' }) {
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
    // `npm start` itself, compiled (dist/ is built by `npm ci`'s prepare), in a group of its own.
    const gateway = await start({}, { via: 'npm' });
    const { url } = gateway;

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
    gateway.signal('SIGTERM');
    await gateway.exit;
    // npm itself dies by the signal; what matters is that nothing it started is left running.
    expect(await groupGone(gateway)).toBe(true);
  });
});

describe('invalid configuration', () => {
  it('NODE_ENV=production without AGENTMC_API_URL exits 1 with one clear line', async () => {
    const gateway = spawnGateway({ from: 'src', env: { NODE_ENV: 'production' } });

    expect(await gateway.exit).toEqual({ code: 1, signal: null });
    expect(gateway.stderr()).toBe(
      'Invalid configuration: AGENTMC_API_URL: required when NODE_ENV=production (the embedded demo upstream is for development only)\n',
    );
  });

  it('a bad variable exits 1 with one line naming it', async () => {
    const gateway = spawnGateway({
      from: 'src',
      env: { PORT: 'http', AGENTMC_API_URL: 'https://agentmc.ai/api/v1' },
    });

    expect(await gateway.exit).toEqual({ code: 1, signal: null });
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
      const gateway = await start({ AGENTMC_API_URL: slow.baseUrl.href });
      const { url } = gateway;

      const inFlight = post(url);
      while (slow.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      gateway.signal(signal);

      const body = await inFlight;
      expect(body.data?.agent.requestedSessions.map((s) => s.id)).toEqual(['501', '502']);
      expect(await gateway.exit).toEqual({ code: 0, signal: null });
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
    const gateway = await start({ AGENTMC_API_URL: slow.baseUrl.href });
    const { url } = gateway;

    const inFlight = Array.from({ length: 20 }, (_, i) => post(url, { 'x-api-key': `mca_load_${i}` }));
    while (slow.requests.length < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    gateway.signal('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lateArrival = post(url).then(
      () => 'served',
      () => 'refused',
    );

    const bodies = await Promise.all(inFlight);
    expect(bodies.every((body) => body.data?.agent.requestedSessions.length === 2)).toBe(true);
    expect(await lateArrival).toBe('refused');
    expect(await gateway.exit).toEqual({ code: 0, signal: null });
  });
});
