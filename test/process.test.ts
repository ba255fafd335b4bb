// Over 250 lines: the gateway as a process (demo, configuration, signals, shutdown); each case spawns it the same way.
import { afterEach, describe, expect, it } from 'vitest';
import {
  killAllNow,
  spawnGateway,
  startGateway,
  type GatewayOptions,
  type RunningProcess,
} from '../scripts/gateway-process.js';
import { socketSignature } from '../src/demo/socket-auth.js';
import { json, startFakeUpstream, type FakeUpstream } from './support/fake-upstream.js';
import { sessionsPayload } from './support/sessions.js';

const QUERY = '{ agent { requestedSessions(limit: 50) { id status } } }';
const HOSTS_QUERY = /* GraphQL */ `
  {
    host {
      requestedSessions(limit: 50) {
        id
        status
        agent {
          id
        }
      }
    }
    agent(id: "43") {
      id
      requestedSessions {
        id
        agent {
          id
        }
      }
    }
  }
`;

interface HostsAnswer {
  data?: {
    host: { requestedSessions: { id: string; status: string; agent: { id: string } }[] } | null;
    agent: { id: string; requestedSessions: { id: string; agent: { id: string } }[] } | null;
  };
  errors?: { path?: string[]; extensions: { code: string } }[];
}

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

async function post<T = { data?: { agent: { requestedSessions: { id: string; status: string }[] } } }>(
  url: URL,
  headers: Record<string, string> = { 'x-api-key': 'mca_any' },
  query = QUERY,
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as T;
}

describe('npm start without AGENTMC_API_URL', () => {
  it('serves the embedded hosts-generation demo (auto detects it), with every status, and says so loudly', async () => {
    // `npm start` itself, compiled (dist/ is built by `npm ci`'s prepare), in a group of its own.
    const gateway = await start({}, { via: 'npm' });
    const { url } = gateway;

    const body = await post<HostsAnswer>(url, { 'x-api-key': 'cc_demo' }, HOSTS_QUERY);

    expect(body.errors).toBeUndefined();
    const hostWide = body.data?.host?.requestedSessions ?? [];
    expect(new Set(hostWide.map((s) => s.status))).toEqual(
      new Set(['REQUESTED', 'CLAIMED', 'ACTIVE', 'CLOSED', 'FAILED', 'EXPIRED']),
    );
    expect(new Set(hostWide.map((s) => s.agent.id))).toEqual(new Set(['42', '43', '44']));
    // One agent's list holds that agent's sessions only.
    expect(body.data?.agent?.id).toBe('43');
    expect(body.data?.agent?.requestedSessions.map((s) => s.agent.id)).toEqual(['43']);
    expect(gateway.stderr()).toMatch(/AGENTMC_API_URL is not set: serving SAMPLE DATA/);
    const ready = await fetch(new URL('/readyz', url));
    expect(await ready.json()).toMatchObject({
      ready: true,
      apiGeneration: { setting: 'auto', generation: 'hosts', source: 'openapi-document' },
    });

    // Like AgentMC: an agent not on the host is refused, and a host key is needed.
    const stranger = await post<HostsAnswer>(
      url,
      { 'x-api-key': 'cc_demo' },
      '{ agent(id: "99") { requestedSessions { id } } }',
    );
    expect(stranger.errors?.map((error) => error.extensions.code)).toEqual(['FORBIDDEN']);
    const anonymous = await post<HostsAnswer>(url, {}, HOSTS_QUERY);
    expect(anonymous.errors?.map((error) => error.extensions.code)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);
    gateway.signal('SIGTERM');
    await gateway.exit;
    // npm itself dies by the signal; what matters is that nothing it started is left running.
    expect(await groupGone(gateway)).toBe(true);
  });

  it('serves the agents-generation demo with AGENTMC_API_GENERATION=agents, as before', async () => {
    const gateway = await start({ AGENTMC_API_GENERATION: 'agents' });

    const body = await post(gateway.url);

    const statuses = new Set(body.data?.agent.requestedSessions.map((s) => s.status));
    expect(statuses).toEqual(new Set(['REQUESTED', 'CLAIMED', 'ACTIVE', 'CLOSED', 'FAILED', 'EXPIRED']));
    // The demo upstream still wants a key, like the real one.
    const anonymous = await post<{ errors: { extensions: { code: string } }[] }>(gateway.url, {});
    expect(anonymous.errors.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
    await gateway.stop();
    expect(await gateway.exit).toEqual({ code: 0, signal: null });
  });
});

describe('the embedded demo: one session from request to close (hosts generation)', () => {
  interface Answer {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions: { code: string; sessionStatus?: string } }[];
  }
  const KEY = { 'x-api-key': 'cc_demo' };
  const TOKEN = 'demo-owner-token-0001';
  const claim = (token: string) =>
    `mutation { claimRealtimeSession(agentId: "42", sessionId: "1001", ownerToken: "${token}") { id status meta } }`;
  const SEND = `mutation {
    sendRealtimeSignal(agentId: "42", sessionId: "1001", type: "message", payload: { text: "Hi from the agent" }) {
      id sender session { status openedAt }
    }
  }`;
  const SIGNALS = `{ agent(id: "42") { realtimeSignals(sessionId: "1001") {
    signals { id sender type payload } nextAfterId hasMore session { status }
  } } }`;
  const codes = (answer: Answer) => answer.errors?.map((error) => error.extensions.code);

  it('claims, signals, hears the simulated browser, signs a socket and closes, all through the gateway', async () => {
    const gateway = await start({});
    const run = (query: string) => post<Answer>(gateway.url, KEY, query);

    // Claim: REQUESTED → CLAIMED, the owner token kept; the same token again is still the claim.
    const claimed = await run(claim(TOKEN));
    expect(claimed.errors).toBeUndefined();
    expect(claimed.data?.claimRealtimeSession).toMatchObject({
      id: '1001',
      status: 'CLAIMED',
      meta: { claim_owner_token: TOKEN },
    });
    expect((await run(claim(TOKEN))).data?.claimRealtimeSession).toMatchObject({ status: 'CLAIMED' });
    const taken = await run(claim('somebody-elses-token'));
    expect(codes(taken)).toEqual(['CONFLICT']);
    expect(taken.errors?.[0]?.extensions.sessionStatus).toBe('CLAIMED');

    // The first agent signal opens the session; the demo's browser answers it a moment later.
    const sent = await run(SEND);
    expect(sent.errors).toBeUndefined();
    const signal = sent.data?.sendRealtimeSignal as {
      id: string;
      sender: string;
      session: { status: string };
    };
    expect(signal).toMatchObject({ sender: 'AGENT', session: { status: 'ACTIVE' } });
    let page:
      { signals: { id: string; sender: string; payload: unknown }[]; nextAfterId: string } | undefined;
    for (let waited = 0; waited < 5000; waited += 100) {
      const answer = await run(SIGNALS);
      page = (answer.data?.agent as { realtimeSignals: typeof page } | undefined)?.realtimeSignals;
      if ((page?.signals.length ?? 0) >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(page?.signals.map((s) => s.sender)).toEqual(['AGENT', 'BROWSER']);
    expect(page?.signals[0]?.id).toBe(signal.id);
    expect(Number(page?.signals[1]?.id)).toBeGreaterThan(Number(signal.id));
    expect(page?.signals[1]?.payload).toEqual({
      type: 'chat.user',
      payload: { text: 'Hello from the demo browser' },
    });
    expect(page?.nextAfterId).toBe(page?.signals[1]?.id);

    // Socket auth: Pusher's private-channel signature, with the demo app's key and secret.
    const socket = await run(
      'mutation { authorizeRealtimeSocket(agentId: "42", sessionId: "1001", socketId: "123.456", channelName: "private-realtime-session.1001") }',
    );
    expect(socket.data?.authorizeRealtimeSocket).toBe(
      socketSignature('123.456', 'private-realtime-session.1001'),
    );
    expect(socketSignature('123.456', 'private-realtime-session.1001')).toMatch(
      /^demo-app-key:[0-9a-f]{64}$/,
    );

    // Close: the session ends, later signals are refused, the lists show it.
    const closed = await run(
      'mutation { closeRealtimeSession(agentId: "42", sessionId: "1001", reason: "Done") { id status closedAt } }',
    );
    expect(closed.data?.closeRealtimeSession).toMatchObject({ id: '1001', status: 'CLOSED' });
    expect(codes(await run(SEND))).toEqual(['CONFLICT']);
    const lists = await run(
      '{ host { requestedSessions(limit: 100) { id status } } agent(id: "42") { requestedSessions { id } } }',
    );
    const hostWide = (lists.data?.host as { requestedSessions: { id: string; status: string }[] })
      .requestedSessions;
    expect(hostWide.find((s) => s.id === '1001')?.status).toBe('CLOSED');
    const own = (lists.data?.agent as { requestedSessions: { id: string }[] }).requestedSessions;
    expect(own.map((s) => s.id)).not.toContain('1001');

    await gateway.stop();
    expect(await gateway.exit).toEqual({ code: 0, signal: null });
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
