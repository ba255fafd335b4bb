// Over 250 lines: every live-update behaviour over SSE and WebSocket against one fake upstream; split, the cases would repeat their setup.
import { createClient } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { envelope, json, raw, routes, SESSIONS_PATH, type Responder } from './support/fake-upstream.js';
import { useGateway, type Harness } from './support/harness.js';
import { subscribeOverSse, subscribeOverWebSocket, type LiveEvent } from './support/live-clients.js';
import { session } from './support/sessions.js';

const SUBSCRIPTION = /* GraphQL */ `
  subscription Live {
    requestedSessionsChanged(limit: 5) {
      sessions {
        id
        status
      }
      added {
        id
      }
      updated {
        id
        status
      }
      removedIds
    }
  }
`;

/** An upstream whose list the test changes between polls. */
function changingList(initial: Record<string, unknown>[]): {
  list: Record<string, unknown>[];
  responder: Responder;
} {
  const state = { list: initial };
  return {
    get list() {
      return state.list;
    },
    set list(next) {
      state.list = next;
    },
    responder: routes({
      [SESSIONS_PATH]: (response, request) => json(200, { data: state.list })(response, request),
    }),
  };
}

const update = (event: LiveEvent | undefined) =>
  event?.data?.requestedSessionsChanged as Record<string, unknown>;
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
};
const sessionPolls = (harness: Harness) =>
  harness.upstream.requests.filter((request) => request.path === SESSIONS_PATH).length;

describe('requestedSessionsChanged over Server-Sent Events', () => {
  const harness = useGateway({ LIVE_POLL_INTERVAL_MS: '100' });

  it('sends the current list first, then only what changed', async () => {
    const upstream = changingList([session(1), session(2)]);
    harness.upstream.respondWith(upstream.responder);
    const stream = subscribeOverSse(harness.gateway.url, SUBSCRIPTION, { 'x-api-key': 'mca_live' });
    try {
      const [first] = await stream.next(1);
      expect(update(first)).toEqual({
        sessions: [
          { id: '1', status: 'REQUESTED' },
          { id: '2', status: 'REQUESTED' },
        ],
        added: [{ id: '1' }, { id: '2' }],
        updated: [],
        removedIds: [],
      });

      // Unchanged polls send nothing.
      const polled = sessionPolls(harness);
      await until(() => sessionPolls(harness) >= polled + 3);
      expect(stream.events).toHaveLength(1);

      upstream.list = [session(2, 'claimed'), session(3)];
      const [, second] = await stream.next(2);
      expect(update(second)).toEqual({
        sessions: [
          { id: '2', status: 'CLAIMED' },
          { id: '3', status: 'REQUESTED' },
        ],
        added: [{ id: '3' }],
        updated: [{ id: '2', status: 'CLAIMED' }],
        removedIds: ['1'],
      });
      expect(harness.upstream.requests.every((request) => request.headers['x-api-key'] === 'mca_live')).toBe(
        true,
      );
    } finally {
      stream.close();
    }
  });

  it('reports a transient failure as an error event and goes on', async () => {
    const upstream = changingList([session(1)]);
    let failing = false;
    harness.upstream.respondWith((response, request) =>
      failing ? raw(500, '')(response, request) : upstream.responder(response, request),
    );
    const stream = subscribeOverSse(harness.gateway.url, SUBSCRIPTION, { 'x-api-key': 'mca_live_flaky' });
    try {
      await stream.next(1);
      failing = true;
      const [, failure] = await stream.next(2);
      expect(failure?.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(failure?.data).toEqual({ requestedSessionsChanged: null });

      failing = false;
      upstream.list = [session(1), session(4)];
      const [, , recovered] = await stream.next(3);
      expect(update(recovered)?.added).toEqual([{ id: '4' }]);
    } finally {
      stream.close();
    }
  });

  it('ends the stream on 401, with the error', async () => {
    harness.upstream.respondWith(envelope(401, { code: 'unauthenticated', message: 'Revoked.' }));
    const stream = subscribeOverSse(harness.gateway.url, SUBSCRIPTION, { 'x-api-key': 'mca_revoked' });

    await stream.ended;

    expect(stream.events).toHaveLength(1);
    expect(stream.events[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(harness.gateway.parts.feeds.pollers).toBe(0);
  });

  it('waits out Retry-After on 429 before polling again', async () => {
    let calls = 0;
    harness.upstream.respondWith(
      routes({
        [SESSIONS_PATH]: (response, request) => {
          calls += 1;
          // Retry-After past the upstream deadline: the gateway answers at once, the poller waits.
          if (calls === 2) return raw(429, '', { 'retry-after': '4' })(response, request);
          json(200, { data: [session(calls)] })(response, request);
        },
      }),
    );
    const stream = subscribeOverSse(harness.gateway.url, SUBSCRIPTION, { 'x-api-key': 'mca_limited' });
    try {
      const [, limited, after] = await stream.next(3);
      expect(limited?.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 4 });
      expect(update(after)?.added).toEqual([{ id: '3' }]);
      const [, second, third] = harness.upstream.requests;
      expect((third?.receivedAt ?? 0) - (second?.receivedAt ?? 0)).toBeGreaterThanOrEqual(3990);
    } finally {
      stream.close();
    }
  }, 20_000);

  it('refuses a subscription without a key, or with a bad limit, before polling', async () => {
    const anonymous = subscribeOverSse(harness.gateway.url, SUBSCRIPTION, {});
    const tooMany = subscribeOverSse(
      harness.gateway.url,
      'subscription { requestedSessionsChanged(limit: 500) { removedIds } }',
      { 'x-api-key': 'mca_live' },
    );
    await Promise.all([anonymous.ended, tooMany.ended]);

    expect(anonymous.events[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(tooMany.events[0]?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(harness.upstream.requests).toHaveLength(0);
  });
});

describe('one poller per key and limit', () => {
  const harness = useGateway({ LIVE_POLL_INTERVAL_MS: '60000', LIVE_MAX_SUBSCRIPTIONS_PER_KEY: '100' });

  it('50 subscribers of one key cost one upstream poll, and all get the first event', async () => {
    harness.upstream.respondWith(changingList([session(7)]).responder);
    const streams = Array.from({ length: 50 }, () =>
      subscribeOverSse(harness.gateway.url, SUBSCRIPTION, { 'x-api-key': 'mca_shared' }),
    );
    try {
      const firsts = await Promise.all(streams.map((stream) => stream.next(1)));

      expect(firsts.every(([event]) => update(event)?.added !== undefined)).toBe(true);
      expect(sessionPolls(harness)).toBe(1);
      expect(harness.gateway.parts.feeds.pollers).toBe(1);
    } finally {
      for (const stream of streams) stream.close();
    }
    // Cleanup: the last one leaving stops the poller and its timer.
    await until(() => harness.gateway.parts.feeds.pollers === 0);
  });

  it('subscribers of different keys never share a poller or an event', async () => {
    harness.upstream.respondWith(
      routes({
        [SESSIONS_PATH]: (response, request) => {
          const owner = Number(String(request.headers['x-api-key']).split('_').pop());
          json(200, { data: [session(owner)] })(response, request);
        },
      }),
    );
    const streams = [11, 12, 13].map((owner) =>
      subscribeOverSse(harness.gateway.url, SUBSCRIPTION, { 'x-api-key': `mca_owner_${owner}` }),
    );
    try {
      const firsts = await Promise.all(streams.map((stream) => stream.next(1)));

      expect(firsts.map(([event]) => update(event)?.added)).toEqual([
        [{ id: '11' }],
        [{ id: '12' }],
        [{ id: '13' }],
      ]);
      expect(sessionPolls(harness)).toBe(3);
      expect(harness.gateway.parts.feeds.pollers).toBe(3);
    } finally {
      for (const stream of streams) stream.close();
    }
    await until(() => harness.gateway.parts.feeds.pollers === 0);
  });
});

describe('limits on subscriptions', () => {
  const harness = useGateway({ LIVE_POLL_INTERVAL_MS: '60000', LIVE_MAX_SUBSCRIPTIONS_PER_KEY: '2' });

  it('refuses a subscription past the per-key cap with TOO_MANY_SUBSCRIPTIONS', async () => {
    const open = [1, 2].map(() =>
      subscribeOverSse(harness.gateway.url, SUBSCRIPTION, { 'x-api-key': 'mca_capped' }),
    );
    try {
      await Promise.all(open.map((stream) => stream.next(1)));
      const third = subscribeOverSse(harness.gateway.url, SUBSCRIPTION, { 'x-api-key': 'mca_capped' });
      await third.ended;

      expect(third.events[0]?.errors?.[0]?.extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    } finally {
      for (const stream of open) stream.close();
    }
  });
});

describe('requestedSessionsChanged over WebSocket (graphql-ws)', () => {
  const harness = useGateway({ LIVE_POLL_INTERVAL_MS: '100' });

  it('takes the key from the connection parameters and pushes changes', async () => {
    const upstream = changingList([session(21)]);
    harness.upstream.respondWith(upstream.responder);
    const stream = subscribeOverWebSocket(harness.gateway.url, SUBSCRIPTION, 'mca_ws');
    try {
      const [first] = await stream.next(1);
      expect(update(first)?.added).toEqual([{ id: '21' }]);

      upstream.list = [];
      const [, second] = await stream.next(2);
      expect(update(second)).toMatchObject({ sessions: [], removedIds: ['21'] });
      expect(harness.upstream.requests.every((request) => request.headers['x-api-key'] === 'mca_ws')).toBe(
        true,
      );
    } finally {
      stream.close();
    }
  });

  it('gives each operation a request id, sent upstream as X-Request-Id', async () => {
    harness.upstream.respondWith(changingList([session(22)]).responder);
    const stream = subscribeOverWebSocket(harness.gateway.url, SUBSCRIPTION, 'mca_ws_request_id');
    try {
      await stream.next(1);

      const polls = harness.upstream.requests.filter((request) => request.path === SESSIONS_PATH);
      expect(polls.length).toBeGreaterThan(0);
      for (const poll of polls) expect(poll.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      stream.close();
    }
  });

  it("keeps the client's own request id from the connection parameters", async () => {
    harness.upstream.respondWith(changingList([session(23)]).responder);
    const client = createClient({
      url: harness.gateway.url.href.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { 'X-Api-Key': 'mca_ws_own_id', 'X-Request-Id': 'ws-trace.42' },
      retryAttempts: 0,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const dispose = client.subscribe(
          { query: SUBSCRIPTION },
          {
            next: () => {
              dispose();
              resolve();
            },
            error: reject,
            complete: () => undefined,
          },
        );
      });

      const polls = harness.upstream.requests.filter((request) => request.path === SESSIONS_PATH);
      expect(polls.length).toBeGreaterThan(0);
      for (const poll of polls) expect(poll.headers['x-request-id']).toBe('ws-trace.42');
    } finally {
      await client.dispose();
    }
  });

  it('without a key, answers UNAUTHENTICATED and never polls', async () => {
    const stream = subscribeOverWebSocket(harness.gateway.url, SUBSCRIPTION);
    try {
      await stream.next(1);

      expect(stream.events[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(harness.upstream.requests).toHaveLength(0);
    } finally {
      stream.close();
    }
  });
});
