// Over 250 lines: every behaviour of realtimeSignalAdded over SSE and WebSocket against one scripted upstream; split, the cases would repeat their setup.
import { describe, expect, it } from 'vitest';
import { agentmc, envelope, raw, type RecordedRequest } from './support/fake-upstream.js';
import { useGateway, type Harness } from './support/harness.js';
import { subscribeOverSse, subscribeOverWebSocket, type LiveStream } from './support/live-clients.js';
import {
  afterIdOf,
  receivedIds,
  signalOf,
  signalPolls,
  signalsUpstream,
  signalSubscription,
  until,
  type SignalsUpstream,
} from './support/signals-upstream.js';

/*
 * `realtimeSignalAdded` end to end: the real gateway over HTTP (SSE) and WebSocket, in front of
 * a scripted signals list (test/support/signals-upstream.ts). Each subscription sends its own
 * X-Request-Id, which its poller (or its own catch-up pages) sends upstream: who asked for what
 * is read on the upstream's requests, never on timing.
 */

const PAGE = 200;

/** Waits until the stream has received `count` signals. */
async function signals(stream: LiveStream, count: number, what: string): Promise<number[]> {
  await until(() => receivedIds(stream.events).length >= count, `${what} (${count} signals)`);
  return receivedIds(stream.events);
}

function useSignalsGateway(environment: Record<string, string> = {}): {
  harness: Harness;
  script: () => SignalsUpstream;
} {
  const harness = useGateway({
    LIVE_SIGNALS_POLL_INTERVAL_MS: '50',
    UPSTREAM_RETRY_ATTEMPTS: '1',
    ...environment,
  });
  let current: SignalsUpstream | undefined;
  return {
    harness,
    script: () => {
      current = signalsUpstream();
      harness.upstream.respondWith(current.responder(agentmc()));
      return current;
    },
  };
}

const subscribe = (harness: Harness, args: Parameters<typeof signalSubscription>[0], requestId: string) =>
  subscribeOverSse(harness.gateway.url, signalSubscription(args), {
    'x-api-key': 'mca_signals',
    'x-request-id': requestId,
  });

const byRequest = (polls: RecordedRequest[], requestId: string) =>
  polls.filter((request) => request.headers['x-request-id'] === requestId);

describe('realtimeSignalAdded', () => {
  const { harness, script } = useSignalsGateway();

  it('drains full pages at once, each signal exactly once and in order, then follows new ones', async () => {
    const upstream = script();
    upstream.append(10, 450);
    const stream = subscribe(harness, { sessionId: '10' }, 'drain');
    try {
      expect(await signals(stream, 450, 'the backlog')).toEqual(upstream.ids(10));
      const first = signalOf(stream.events[0]);
      expect(first).toEqual({
        id: String(upstream.ids(10)[0]),
        sessionId: '10',
        sender: 'BROWSER',
        type: 'message',
        payload: { n: upstream.ids(10)[0] },
        session: { id: '10', status: 'CLAIMED' },
      });

      // 200, 200, 50: three asks without waiting, the first one from the start.
      const [one, two, three] = signalPolls(harness.upstream.requests, 10);
      expect([one, two, three].map((request) => request?.query.has('after_id'))).toEqual([false, true, true]);
      expect([one, two, three].map((request) => afterIdOf(request as RecordedRequest))).toEqual([
        0,
        upstream.ids(10)[PAGE - 1],
        upstream.ids(10)[2 * PAGE - 1],
      ]);
      expect([one, two, three].map((request) => request?.query.get('limit'))).toEqual(['200', '200', '200']);

      upstream.append(10, 30);
      upstream.append(99, 5);
      upstream.append(10, 3);
      expect(await signals(stream, 483, 'the new signals')).toEqual(upstream.ids(10));
      // Let a few more polls pass: nothing is sent twice.
      const polled = signalPolls(harness.upstream.requests, 10).length;
      await until(() => signalPolls(harness.upstream.requests, 10).length >= polled + 3, 'three more polls');
      expect(receivedIds(stream.events)).toEqual(upstream.ids(10));
      expect(stream.events.every((event) => event.errors === undefined)).toBe(true);
    } finally {
      stream.close();
    }
    await until(() => harness.gateway.parts.signalFeeds.pollers === 0, 'the poller to stop');
  });

  it('serves subscribers with different afterIds from one poller, each from its own afterId', async () => {
    const upstream = script();
    const ids = upstream.append(11, 450);
    const first = subscribe(harness, { sessionId: '11' }, 'shared-first');
    await signals(first, 450, 'the first subscriber');
    // Joins the running poller: its signals come from the poller's history, with no call of its own.
    const later = subscribe(harness, { sessionId: '11', afterId: String(ids[299]) }, 'shared-later');
    try {
      expect(await signals(later, 150, 'the later subscriber')).toEqual(ids.slice(300));
      expect(harness.gateway.parts.signalFeeds.pollers).toBe(1);

      const more = upstream.append(11, 25);
      expect(await signals(first, 475, 'new signals, first')).toEqual([...ids, ...more]);
      expect(await signals(later, 175, 'new signals, later')).toEqual([...ids.slice(300), ...more]);

      // One poll stream: its cursor only moves forward, and the backlog was asked for once.
      const polls = signalPolls(harness.upstream.requests, 11);
      const cursors = polls.map(afterIdOf);
      expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
      expect(cursors.filter((cursor) => cursor < (ids.at(-1) ?? 0))).toHaveLength(3);
      expect(byRequest(polls, 'shared-later')).toEqual([]);
    } finally {
      first.close();
      later.close();
    }
  });

  it('lets a subscriber older than the kept history catch up with its own pages, then join', async () => {
    const upstream = script();
    const ids = upstream.append(12, 700);
    const first = subscribe(harness, { sessionId: '12' }, 'history-first');
    try {
      await signals(first, 700, 'the first subscriber');
      // The poller keeps the last 500: a subscriber from the 6th signal pages the first 200 itself.
      const old = subscribe(harness, { sessionId: '12', afterId: String(ids[4]) }, 'history-old');
      try {
        expect(await signals(old, 695, 'the old subscriber')).toEqual(ids.slice(5));
        const own = byRequest(signalPolls(harness.upstream.requests, 12), 'history-old');
        expect(own.map(afterIdOf)).toEqual([ids[4]]);

        const more = upstream.append(12, 10);
        expect(await signals(old, 705, 'new signals, old')).toEqual([...ids.slice(5), ...more]);
        expect(await signals(first, 710, 'new signals, first')).toEqual([...ids, ...more]);
        expect(byRequest(signalPolls(harness.upstream.requests, 12), 'history-old')).toHaveLength(1);
      } finally {
        old.close();
      }
    } finally {
      first.close();
    }
  });

  it('ends after the last signals of a session that closed, failed or expired', async () => {
    const upstream = script();
    const ids = upstream.append(13, 3);
    const stream = subscribe(harness, { sessionId: '13', afterId: '0' }, 'close');
    await signals(stream, 3, 'the first signals');
    const last = upstream.append(13, 2);
    upstream.setStatus(13, 'closed');
    await stream.ended;
    expect(receivedIds(stream.events)).toEqual([...ids, ...last]);
    expect(signalOf(stream.events.at(-1))?.session.status).toBe('CLOSED');
    expect(stream.events.every((event) => event.errors === undefined)).toBe(true);
    await until(() => harness.gateway.parts.signalFeeds.pollers === 0, 'the poller to stop');

    // Already over: every page is drained (the first one is full), then the stream ends.
    for (const [session, status] of [
      [14, 'failed'],
      [15, 'expired'],
    ] as const) {
      const backlog = upstream.append(session, 250);
      upstream.setStatus(session, status);
      const ended = subscribe(harness, { sessionId: String(session) }, `ended-${status}`);
      await ended.ended;
      expect(receivedIds(ended.events)).toEqual(backlog);
      expect(signalPolls(harness.upstream.requests, session)).toHaveLength(2);
    }
  });

  it.each([
    [403, 'forbidden', 'FORBIDDEN'],
    [404, 'not_found', 'NOT_FOUND'],
    [410, 'gone', 'NOT_FOUND'],
    [409, 'conflict', 'CONFLICT'],
    [401, 'unauthenticated', 'UNAUTHENTICATED'],
  ])('ends with the error on %i (%s)', async (status, code, expected) => {
    const upstream = script();
    const ids = upstream.append(20 + status, 2);
    const stream = subscribe(harness, { sessionId: String(20 + status) }, `final-${status}`);
    await signals(stream, 2, 'the signals before the failure');
    upstream.fail(20 + status, envelope(status, { code, message: 'No.' }));
    await stream.ended;
    expect(receivedIds(stream.events)).toEqual(ids);
    expect(stream.events).toHaveLength(3);
    expect(stream.events[2]?.errors?.[0]?.extensions?.code).toBe(expected);
    expect(stream.events[2]?.data).toBeNull();
    await until(() => harness.gateway.parts.signalFeeds.pollers === 0, 'the poller to stop');
  });

  it('sends a 503 as an error event, backs off, and goes on where it was', async () => {
    const upstream = script();
    const ids = upstream.append(30, 2);
    const stream = subscribe(harness, { sessionId: '30' }, 'flaky');
    try {
      await signals(stream, 2, 'the first signals');
      upstream.fail(30, raw(503, ''));
      await until(() => stream.events.length >= 3, 'the error event');
      expect(stream.events[2]?.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      const more = upstream.append(30, 3);
      upstream.fail(30, undefined);
      expect(await signals(stream, 5, 'the signals after the recovery')).toEqual([...ids, ...more]);
      expect(stream.events.filter((event) => event.errors !== undefined).length).toBeGreaterThanOrEqual(1);
      // Only error events between the signals, and no signal twice.
      expect(stream.events.slice(2, -3).every((event) => event.errors !== undefined)).toBe(true);
    } finally {
      stream.close();
    }
  });

  it('sends a 429 with its retryAfter and waits it out before asking again', async () => {
    const upstream = script();
    upstream.append(31, 1);
    const stream = subscribe(harness, { sessionId: '31' }, 'limited');
    try {
      await signals(stream, 1, 'the first signal');
      upstream.fail(31, raw(429, '', { 'retry-after': '2' }));
      await until(() => stream.events.length >= 2, 'the error event');
      expect(stream.events[1]?.errors?.[0]?.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfter: 2,
      });
      upstream.fail(31, undefined);
      const more = upstream.append(31, 1);
      expect((await signals(stream, 2, 'the signal after the wait')).slice(1)).toEqual(more);
      const polls = signalPolls(harness.upstream.requests, 31);
      const limited = polls.findIndex((request) => afterIdOf(request) > 0);
      const retried = polls[limited + 1];
      expect((retried?.receivedAt ?? 0) - (polls[limited]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(1990);
    } finally {
      stream.close();
    }
  }, 15_000);

  it.each([
    ['sessionId: "0"', 'sessionId'],
    ['sessionId: "abc"', 'sessionId'],
    ['sessionId: "12", afterId: "-1"', 'afterId'],
    ['sessionId: "12", afterId: "1.5"', 'afterId'],
    ['sessionId: "12", agentId: "x"', 'agentId'],
    ['sessionId: "12", agentId: "0"', 'agentId'],
  ])('refuses (%s) with BAD_USER_INPUT naming %s, before any call', async (args, argumentName) => {
    script();
    const stream = subscribeOverSse(
      harness.gateway.url,
      `subscription { realtimeSignalAdded(${args}) { id } }`,
      { 'x-api-key': 'mca_signals' },
    );
    await stream.ended;
    expect(stream.events[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName });
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('refuses a subscription without a key before any call', async () => {
    script();
    const stream = subscribeOverSse(harness.gateway.url, signalSubscription({ sessionId: '12' }), {});
    await stream.ended;
    expect(stream.events[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it("with an agent key: no X-Agent-Id; its own agentId is checked once, another's is FORBIDDEN", async () => {
    const upstream = script();
    const ids = upstream.append(40, 3);
    const own = subscribe(harness, { sessionId: '40', agentId: '77' }, 'agents-own');
    try {
      expect(await signals(own, 3, 'the signals')).toEqual(ids);
      const polls = signalPolls(harness.upstream.requests, 40);
      expect(polls[0]?.path).toBe('/api/v1/agents/realtime/sessions/40/signals');
      expect(polls.every((request) => request.headers['x-agent-id'] === undefined)).toBe(true);
    } finally {
      own.close();
    }
    const another = subscribe(harness, { sessionId: '40', agentId: '78' }, 'agents-another');
    await another.ended;
    expect(another.events[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(byRequest(signalPolls(harness.upstream.requests, 40), 'agents-another')).toEqual([]);
  });

  it('works over WebSocket: the signals in order, then the end of the session', async () => {
    const upstream = script();
    const ids = upstream.append(50, 4);
    const stream = subscribeOverWebSocket(
      harness.gateway.url,
      signalSubscription({ sessionId: '50', afterId: String(ids[0]) }),
      'mca_signals_ws',
    );
    expect(await signals(stream, 3, 'the signals')).toEqual(ids.slice(1));
    upstream.setStatus(50, 'closed');
    await stream.ended;
    expect(receivedIds(stream.events)).toEqual(ids.slice(1));
    stream.close();

    const denied = upstream.append(51, 1);
    upstream.fail(51, envelope(403, { code: 'forbidden', message: 'No.' }));
    const refused = subscribeOverWebSocket(
      harness.gateway.url,
      signalSubscription({ sessionId: '51' }),
      'mca_signals_ws',
    );
    await refused.ended;
    expect(denied).toHaveLength(1);
    expect(refused.events.at(-1)?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    refused.close();
  });
});

describe('realtimeSignalAdded on the hosts generation', () => {
  const { harness, script } = useSignalsGateway({ AGENTMC_API_GENERATION: 'hosts' });

  it('sends agentId as X-Agent-Id on every poll, and none without it', async () => {
    const upstream = script();
    const ids = upstream.append(60, 250);
    const headers = { 'x-api-key': 'cc_host_key' };
    const named = subscribeOverSse(
      harness.gateway.url,
      signalSubscription({ sessionId: '60', agentId: '5' }),
      { ...headers, 'x-request-id': 'hosts-named' },
    );
    const unnamed = subscribeOverSse(harness.gateway.url, signalSubscription({ sessionId: '60' }), {
      ...headers,
      'x-request-id': 'hosts-unnamed',
    });
    try {
      expect(await signals(named, 250, 'the named agent')).toEqual(ids);
      expect(await signals(unnamed, 250, 'no agent')).toEqual(ids);
      // Two feeds: the agent is part of what a poller shares.
      expect(harness.gateway.parts.signalFeeds.pollers).toBe(2);
      const polls = signalPolls(harness.upstream.requests, 60);
      const namedPolls = byRequest(polls, 'hosts-named');
      const unnamedPolls = byRequest(polls, 'hosts-unnamed');
      expect(namedPolls.length).toBeGreaterThanOrEqual(2);
      expect(namedPolls.every((request) => request.headers['x-agent-id'] === '5')).toBe(true);
      expect(namedPolls[0]?.path).toBe('/api/v1/hosts/realtime/sessions/60/signals');
      expect(unnamedPolls.length).toBeGreaterThanOrEqual(2);
      expect(unnamedPolls.every((request) => request.headers['x-agent-id'] === undefined)).toBe(true);
    } finally {
      named.close();
      unnamed.close();
    }
    await until(() => harness.gateway.parts.signalFeeds.pollers === 0, 'the pollers to stop');
  });
});

describe('realtimeSignalAdded subscription caps', () => {
  const { harness, script } = useSignalsGateway({ LIVE_MAX_SUBSCRIPTIONS_PER_KEY: '2' });

  it('shares LIVE_MAX_SUBSCRIPTIONS_PER_KEY with requestedSessionsChanged', async () => {
    const upstream = script();
    upstream.append(70, 1);
    const headers = { 'x-api-key': 'mca_capped' };
    const sessions = subscribeOverSse(
      harness.gateway.url,
      'subscription { requestedSessionsChanged(limit: 5) { removedIds } }',
      headers,
    );
    const signalsStream = subscribeOverSse(
      harness.gateway.url,
      signalSubscription({ sessionId: '70' }),
      headers,
    );
    try {
      await sessions.next(1);
      await signals(signalsStream, 1, 'the signal');
      const third = subscribeOverSse(harness.gateway.url, signalSubscription({ sessionId: '70' }), headers);
      await third.ended;
      expect(third.events[0]?.errors?.[0]?.extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    } finally {
      sessions.close();
      signalsStream.close();
    }
    // Given back when they end.
    await until(() => harness.gateway.parts.signalFeeds.pollers === 0, 'the poller to stop');
    const again = subscribeOverSse(harness.gateway.url, signalSubscription({ sessionId: '70' }), headers);
    try {
      await signals(again, 1, 'the signal again');
    } finally {
      again.close();
    }
  });
});
