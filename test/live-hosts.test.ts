// Over 250 lines: live updates on the hosts generation, per agent and per host, with their isolation; one fake host server shared by the cases.
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  AGENT_ID_HEADER,
  AGENT_ID_QUERY,
  AGENTS_PATHS,
  API_PREFIX,
  HOSTS_PATHS,
  requestedSessionsBody,
  routeMissBody,
  wireSession,
  type WireSession,
} from '../src/agentmc-wire.js';
import { envelope, json, type RecordedRequest, type Responder } from './support/fake-upstream.js';
import { useGateway, type Harness } from './support/harness.js';
import {
  subscribeOverSse,
  subscribeOverWebSocket,
  type LiveEvent,
  type LiveStream,
} from './support/live-clients.js';

const HOSTS_SESSIONS = `${API_PREFIX}${HOSTS_PATHS.listAgentRealtimeRequestedSessions}`;
const AGENTS_SESSIONS = `${API_PREFIX}${AGENTS_PATHS.listAgentRealtimeRequestedSessions}`;
const INSTRUCTIONS = `${API_PREFIX}${AGENTS_PATHS.getAgentInstructions}`;

/** `requestedSessionsChanged` for one agent (`agentId`) or, without, the whole host. */
function subscription(agentId?: string, limit = 5): string {
  const args = agentId === undefined ? `limit: ${limit}` : `limit: ${limit}, agentId: "${agentId}"`;
  return `subscription { requestedSessionsChanged(${args}) { sessions { id agentId } added { id } removedIds } }`;
}

const update = (event: LiveEvent | undefined) =>
  event?.data?.requestedSessionsChanged as
    | { sessions: { id: string; agentId: string }[]; added: { id: string }[]; removedIds: string[] }
    | undefined;
const until = async (condition: () => boolean) => {
  while (!condition()) await delay(10);
};

const agentOf = (request: RecordedRequest): string | undefined => {
  const header = request.headers[AGENT_ID_HEADER];
  return (typeof header === 'string' ? header : undefined) ?? request.query.get(AGENT_ID_QUERY) ?? undefined;
};

/**
 * Hosts-generation servers for several keys at once: each key's host has its agents and their
 * lists, which a test changes between polls. Without an agent the whole host's list is sent.
 */
function hosts(initial: Record<string, Record<string, WireSession[]>>): {
  lists: Record<string, Record<string, WireSession[]>>;
  responder: Responder;
} {
  const lists = initial;
  return {
    lists,
    responder: (response, request) => {
      if (request.path !== HOSTS_SESSIONS) return json(404, routeMissBody(request.path))(response, request);
      const host = lists[String(request.headers['x-api-key'])];
      if (host === undefined) {
        return envelope(401, { code: 'unauthenticated', message: 'Invalid API key.' })(response, request);
      }
      const agent = agentOf(request);
      const limit = Number(request.query.get('limit') ?? '20');
      if (agent === undefined) {
        return json(200, requestedSessionsBody(Object.values(host).flat().slice(0, limit)))(
          response,
          request,
        );
      }
      const list = host[agent];
      if (list === undefined) {
        return envelope(403, { code: 'forbidden', message: `Agent ${agent} is not on this host.` })(
          response,
          request,
        );
      }
      json(200, requestedSessionsBody(list.slice(0, limit)))(response, request);
    },
  };
}

const sessionOf = (id: number, agent: number, status = 'requested') =>
  wireSession({ id, agent_id: agent, team_id: 12, status });

/** Polls of the hosts list by `key`, acting for `agent` (undefined: the host), with `limit`. */
function polls(harness: Harness, key: string, agent: string | undefined, limit?: number): RecordedRequest[] {
  return harness.upstream.requests.filter(
    (request) =>
      request.path === HOSTS_SESSIONS &&
      request.headers['x-api-key'] === key &&
      agentOf(request) === agent &&
      (limit === undefined || request.query.get('limit') === String(limit)),
  );
}

function closeAll(streams: LiveStream[]): void {
  for (const stream of streams) stream.close();
}

describe('requestedSessionsChanged on the hosts generation', () => {
  const harness = useGateway({ AGENTMC_API_GENERATION: 'hosts', LIVE_POLL_INTERVAL_MS: '100' });
  const KEY = 'cc_live_host_one';

  it('per agent and per host: two agents never see each other’s events; the host-wide feed sees both', async () => {
    const host = hosts({ [KEY]: { '7': [sessionOf(701, 7)], '8': [sessionOf(801, 8)] } });
    harness.upstream.respondWith(host.responder);
    const headers = { 'x-api-key': KEY };
    const seven = subscribeOverSse(harness.gateway.url, subscription('7'), headers);
    const eight = subscribeOverSse(harness.gateway.url, subscription('8'), headers);
    const whole = subscribeOverSse(harness.gateway.url, subscription(), headers);
    try {
      const [[first7], [first8], [firstHost]] = await Promise.all([
        seven.next(1),
        eight.next(1),
        whole.next(1),
      ]);
      expect(update(first7)).toEqual({
        sessions: [{ id: '701', agentId: '7' }],
        added: [{ id: '701' }],
        removedIds: [],
      });
      expect(update(first8)).toEqual({
        sessions: [{ id: '801', agentId: '8' }],
        added: [{ id: '801' }],
        removedIds: [],
      });
      expect(update(firstHost)).toEqual({
        sessions: [
          { id: '701', agentId: '7' },
          { id: '801', agentId: '8' },
        ],
        added: [{ id: '701' }, { id: '801' }],
        removedIds: [],
      });
      expect(harness.gateway.parts.feeds.pollers).toBe(3);

      // Agent 7 gets a new session: agent 7's feed and the host's feed hear of it, agent 8's does not.
      (host.lists[KEY] as Record<string, WireSession[]>)['7'] = [sessionOf(701, 7), sessionOf(702, 7)];
      const [, second7] = await seven.next(2);
      const [, secondHost] = await whole.next(2);
      expect(update(second7)?.added).toEqual([{ id: '702' }]);
      expect(update(secondHost)?.added).toEqual([{ id: '702' }]);
      const polledEight = polls(harness, KEY, '8').length;
      await until(() => polls(harness, KEY, '8').length >= polledEight + 3);
      expect(eight.events).toHaveLength(1);

      // Agent 8's session goes: only agent 8's feed and the host's hear of it.
      (host.lists[KEY] as Record<string, WireSession[]>)['8'] = [];
      const [, second8] = await eight.next(2);
      const [, , thirdHost] = await whole.next(3);
      expect(update(second8)).toEqual({ sessions: [], added: [], removedIds: ['801'] });
      expect(update(thirdHost)?.removedIds).toEqual(['801']);
      const polledSeven = polls(harness, KEY, '7').length;
      await until(() => polls(harness, KEY, '7').length >= polledSeven + 3);
      expect(seven.events).toHaveLength(2);

      for (const event of seven.events) {
        expect(update(event)?.sessions.every((session) => session.agentId === '7')).toBe(true);
      }
      for (const event of eight.events) {
        expect(update(event)?.sessions.every((session) => session.agentId === '8')).toBe(true);
      }
      // Every poll went to the hosts route, as agent 7, as agent 8 or as the host.
      const sent = harness.upstream.requests;
      expect(sent.every((request) => request.path === HOSTS_SESSIONS)).toBe(true);
      expect(new Set(sent.map((request) => agentOf(request) ?? 'host'))).toEqual(new Set(['7', '8', 'host']));
      expect(
        polls(harness, KEY, undefined).every((request) => request.headers[AGENT_ID_HEADER] === undefined),
      ).toBe(true);
    } finally {
      closeAll([seven, eight, whole]);
    }
    await until(() => harness.gateway.parts.feeds.pollers === 0);
  });

  it('over WebSocket, the agent id goes upstream as X-Agent-Id', async () => {
    const key = 'cc_live_host_ws';
    harness.upstream.respondWith(hosts({ [key]: { '8': [sessionOf(811, 8)] } }).responder);
    const stream = subscribeOverWebSocket(harness.gateway.url, subscription('8'), key);
    try {
      const [first] = await stream.next(1);

      expect(update(first)?.added).toEqual([{ id: '811' }]);
      // (A poll of the previous case, still in flight when it ended, may arrive: only this key's count.)
      const sent = harness.upstream.requests.filter((request) => request.headers['x-api-key'] === key);
      expect(sent.length).toBeGreaterThan(0);
      for (const request of sent) {
        expect(request.path).toBe(HOSTS_SESSIONS);
        expect(request.headers[AGENT_ID_HEADER]).toBe('8');
        expect(request.query.get('limit')).toBe('5');
      }
    } finally {
      stream.close();
    }
    await until(() => harness.gateway.parts.feeds.pollers === 0);
  });

  it('an agent not on the host: FORBIDDEN, the stream ends and its poller stops', async () => {
    harness.upstream.respondWith(hosts({ [KEY]: { '7': [] } }).responder);
    const stream = subscribeOverSse(harness.gateway.url, subscription('99'), { 'x-api-key': KEY });

    await stream.ended;

    expect(stream.events).toHaveLength(1);
    expect(stream.events[0]?.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      upstream: { status: 403 },
    });
    expect(polls(harness, KEY, '99')).toHaveLength(1);
    await until(() => harness.gateway.parts.feeds.pollers === 0);
  });

  it.each(['0', '-3', 'seven', '07', '1.5'])(
    'agentId %s is BAD_USER_INPUT naming agentId, before any poll',
    async (agentId) => {
      const key = 'cc_live_host_bad_input';
      harness.upstream.respondWith(hosts({ [key]: { '7': [] } }).responder);
      const stream = subscribeOverSse(harness.gateway.url, subscription(agentId), { 'x-api-key': key });

      await stream.ended;

      expect(stream.events[0]?.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName: 'agentId',
      });
      expect(
        harness.upstream.requests.filter((request) => request.headers['x-api-key'] === key),
      ).toHaveLength(0);
      expect(harness.gateway.parts.feeds.pollers).toBe(0);
    },
  );
});

describe('one poller per (key, agent or host, limit) on the hosts generation', () => {
  const harness = useGateway({
    AGENTMC_API_GENERATION: 'hosts',
    LIVE_POLL_INTERVAL_MS: '60000',
    LIVE_MAX_SUBSCRIPTIONS_PER_KEY: '100',
  });
  const TEAM_A = 'cc_team_key_a';
  const TEAM_B = 'cc_team_key_b';

  it('shares a poller only among subscribers of the same key, agent (or host) and limit', async () => {
    // Two keys of one host: they may act for the same agents, yet never share a poll or an event.
    harness.upstream.respondWith(
      hosts({
        [TEAM_A]: { '7': [sessionOf(701, 7)], '8': [sessionOf(801, 8)] },
        [TEAM_B]: { '7': [sessionOf(7001, 7)], '8': [] },
      }).responder,
    );
    const open = (key: string, agentId: string | undefined, limit = 5) =>
      subscribeOverSse(harness.gateway.url, subscription(agentId, limit), { 'x-api-key': key });
    const a7 = [open(TEAM_A, '7'), open(TEAM_A, '7'), open(TEAM_A, '7')];
    const aHost = [open(TEAM_A, undefined), open(TEAM_A, undefined)];
    const a7Wide = open(TEAM_A, '7', 10);
    const a8 = open(TEAM_A, '8');
    const b7 = open(TEAM_B, '7');
    const streams = [...a7, ...aHost, a7Wide, a8, b7];
    try {
      await Promise.all(streams.map((stream) => stream.next(1)));

      const added = (stream: LiveStream) => update(stream.events[0])?.added;
      for (const stream of a7) expect(added(stream)).toEqual([{ id: '701' }]);
      for (const stream of aHost) expect(added(stream)).toEqual([{ id: '701' }, { id: '801' }]);
      expect(added(a7Wide)).toEqual([{ id: '701' }]);
      expect(added(a8)).toEqual([{ id: '801' }]);
      expect(added(b7)).toEqual([{ id: '7001' }]);

      expect(harness.gateway.parts.feeds.pollers).toBe(5);
      expect(polls(harness, TEAM_A, '7', 5)).toHaveLength(1);
      expect(polls(harness, TEAM_A, undefined, 5)).toHaveLength(1);
      expect(polls(harness, TEAM_A, '7', 10)).toHaveLength(1);
      expect(polls(harness, TEAM_A, '8', 5)).toHaveLength(1);
      expect(polls(harness, TEAM_B, '7', 5)).toHaveLength(1);
      expect(harness.upstream.requests).toHaveLength(5);
    } finally {
      closeAll(streams);
    }
    await until(() => harness.gateway.parts.feeds.pollers === 0);
  });
});

describe('requestedSessionsChanged on the agents generation', () => {
  const harness = useGateway({ AGENTMC_API_GENERATION: 'agents', LIVE_POLL_INTERVAL_MS: '60000' });
  const KEY = 'mca_live_agent_77';
  const agentsServer: Responder = (response, request) => {
    if (request.path === AGENTS_SESSIONS) {
      return json(200, requestedSessionsBody([sessionOf(501, 77)]))(response, request);
    }
    if (request.path === INSTRUCTIONS) {
      return json(200, { ok: true, changed: false, agent: { id: 77 }, files: [] })(response, request);
    }
    json(404, routeMissBody(request.path))(response, request);
  };

  it('without agentId, as before: the key’s own list, never with X-Agent-Id', async () => {
    harness.upstream.respondWith(agentsServer);
    const stream = subscribeOverSse(harness.gateway.url, subscription(), { 'x-api-key': KEY });
    try {
      const [first] = await stream.next(1);

      expect(update(first)?.added).toEqual([{ id: '501' }]);
      const sent = harness.upstream.requests.filter((request) => request.path === AGENTS_SESSIONS);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.headers[AGENT_ID_HEADER]).toBeUndefined();
      expect(sent[0]?.query.get(AGENT_ID_QUERY)).toBeNull();
    } finally {
      stream.close();
    }
    await until(() => harness.gateway.parts.feeds.pollers === 0);
  });

  it('with the key’s own agent id: the same list, without X-Agent-Id', async () => {
    harness.upstream.respondWith(agentsServer);
    const stream = subscribeOverSse(harness.gateway.url, subscription('77'), { 'x-api-key': KEY });
    try {
      const [first] = await stream.next(1);

      expect(update(first)?.added).toEqual([{ id: '501' }]);
      for (const request of harness.upstream.requests) {
        expect([AGENTS_SESSIONS, INSTRUCTIONS]).toContain(request.path);
        expect(request.headers[AGENT_ID_HEADER]).toBeUndefined();
      }
    } finally {
      stream.close();
    }
    await until(() => harness.gateway.parts.feeds.pollers === 0);
  });

  it('with another agent’s id: FORBIDDEN, and no session of the key’s agent is sent', async () => {
    harness.upstream.respondWith(agentsServer);
    const stream = subscribeOverSse(harness.gateway.url, subscription('78'), { 'x-api-key': KEY });

    await stream.ended;

    expect(stream.events).toHaveLength(1);
    expect(stream.events[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(stream.events[0]?.data?.requestedSessionsChanged ?? null).toBeNull();
    expect(harness.upstream.requests.every((request) => request.path !== HOSTS_SESSIONS)).toBe(true);
    await until(() => harness.gateway.parts.feeds.pollers === 0);
  });
});
