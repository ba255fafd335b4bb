// Over 250 lines: live feeds shared across replicas through one real redis-server; its setup is shared by every case.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialDigest } from '../src/credentials.js';
import { ErrorCode, GatewayError } from '../src/errors.js';
import { RedisFeedBus } from '../src/live/redis-feed-bus.js';
import type { BusMessage } from '../src/live/requested-sessions-feed.js';
import { createLogger } from '../src/logger.js';
import { startGateway as startGatewayProcess } from '../scripts/gateway-process.js';
import type { RealtimeSession } from '../src/upstream/payloads.js';
import {
  envelope,
  json,
  raw,
  routes,
  SESSIONS_PATH,
  startFakeUpstream,
  type FakeUpstream,
} from './support/fake-upstream.js';
import { subscribeOverSse, type LiveEvent, type LiveStream } from './support/live-clients.js';
import { provideTestRedis } from './support/redis-server.js';
import { session } from './support/sessions.js';

/*
 * Two gateway processes sharing one Redis (REDIS_URL) in front of one fake upstream. Each
 * subscription is sent with its own X-Request-Id, which the poller it starts sends upstream:
 * every upstream poll thus names the replica that made it, and "only one replica polls" is
 * checked on the requests themselves, not on timing.
 */

/*
 * TEST_REDIS_URL's Redis, else a redis-server started on a free port for this file (stopped in
 * afterAll), else the suite skips with the reason (fails under CI=true): test/support/redis-server.ts.
 */
const testRedis = await provideTestRedis('test/live-redis.test.ts');
const REDIS_URL = testRedis.url ?? '';
const INTERVAL_MS = 200;

const SUBSCRIPTION = /* GraphQL */ `
  subscription Live {
    requestedSessionsChanged(limit: 5) {
      sessions {
        id
        status
        expiresAt
      }
      added {
        id
      }
      updated {
        id
      }
      removedIds
    }
  }
`;

const update = (event: LiveEvent | undefined) =>
  event?.data?.requestedSessionsChanged as Record<string, unknown> | undefined;
const ids = (event: LiveEvent | undefined) =>
  (update(event)?.sessions as { id: string }[] | undefined)?.map((entry) => entry.id);

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits for `count` events, failing with a clear message instead of hanging. */
async function next(stream: LiveStream, count: number, what: string): Promise<LiveEvent[]> {
  await until(() => stream.events.length >= count, `${what} (${count} events)`);
  return stream.events;
}

interface GatewayProcess {
  child: ChildProcess;
  url: URL;
  output: () => string;
}

const children: ChildProcess[] = [];

async function startGateway(upstream: FakeUpstream): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess({
    from: 'src',
    env: {
      AGENTMC_API_URL: upstream.baseUrl.href,
      REDIS_URL,
      LIVE_POLL_INTERVAL_MS: String(INTERVAL_MS),
      // The lock TTL is 2 intervals + this: a killed holder is replaced within about 1.4 s.
      UPSTREAM_TIMEOUT_MS: '1000',
      UPSTREAM_RETRY_ATTEMPTS: '1',
    },
    // kill() signals the process group.
    group: true,
  });
  children.push(gateway.child);
  return { child: gateway.child, url: gateway.url, output: gateway.output };
}

function kill(child: ChildProcess): void {
  try {
    process.kill(-(child.pid ?? 0), 'SIGKILL');
  } catch {
    // already gone
  }
}

const SUITE = 'live feeds shared across replicas through Redis';
const NAME = testRedis.skip === undefined ? SUITE : `${SUITE} (skipped: ${testRedis.skip})`;

describe.skipIf(testRedis.skip !== undefined)(NAME, () => {
  const run = randomUUID().slice(0, 8);
  const apiKey = (name: string) => `mca_redis_${run}_${name}`;
  /** The list the upstream serves, per API key; an unknown key gets an empty list. */
  const lists = new Map<string, Record<string, unknown>[] | 'revoked' | 'failing'>();
  const streams: LiveStream[] = [];
  let upstream: FakeUpstream;
  let redis: Redis;
  let a: GatewayProcess;
  let b: GatewayProcess;

  const subscribe = (gateway: GatewayProcess, key: string, requestId: string) => {
    const stream = subscribeOverSse(gateway.url, SUBSCRIPTION, {
      'x-api-key': key,
      'x-request-id': requestId,
    });
    streams.push(stream);
    return stream;
  };
  /** The X-Request-Id of every poll for `key` so far: which replica's poller made it. */
  const pollers = (key: string) =>
    upstream.requests
      .filter((request) => request.path === SESSIONS_PATH && request.headers['x-api-key'] === key)
      .map((request) => request.headers['x-request-id']);
  const pollsBy = (key: string, requestId: string) => pollers(key).filter((id) => id === requestId).length;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    upstream = await startFakeUpstream();
    upstream.respondWith(
      routes({
        [SESSIONS_PATH]: (response, request) => {
          const list = lists.get(String(request.headers['x-api-key']));
          if (list === 'revoked') {
            return envelope(401, { code: 'unauthenticated', message: 'Revoked.' })(response, request);
          }
          if (list === 'failing') return raw(500, '')(response, request);
          json(200, { data: list ?? [] })(response, request);
        },
      }),
    );
    [a, b] = await Promise.all([startGateway(upstream), startGateway(upstream)]);
  }, 30_000);

  afterAll(async () => {
    for (const stream of streams) stream.close();
    for (const child of children) kill(child);
    await Promise.all(
      children.map((child) =>
        child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined,
      ),
    );
    await upstream?.close();
    redis?.disconnect();
    await testRedis.server?.stop();
  });

  it('carries lists (timestamps intact) and errors (with code and final) between replicas', async () => {
    const logger = createLogger('silent');
    const buses = [1, 2].map(() => new RedisFeedBus({ url: REDIS_URL, lockTtlMs: 1000, logger }));
    const [first, second] = buses as [RedisFeedBus, RedisFeedBus];
    const feedId = `bus-${run}:5`;
    const heard: { first: BusMessage[]; second: BusMessage[] } = { first: [], second: [] };
    try {
      const holder = first.join(feedId, (message) => heard.first.push(message));
      const listener = second.join(feedId, (message) => heard.second.push(message));
      expect(await holder.listen()).toBeUndefined();
      expect(await listener.listen()).toBeUndefined();
      expect((await holder.claim()).held).toBe(true);
      expect((await listener.claim()).held).toBe(false);

      const expiresAt = '2026-02-22T17:31:00.000Z';
      const sessions = [
        { id: 7, status: 'requested', expiresAt, claimedAt: null },
      ] as unknown as RealtimeSession[];
      const seq = await holder.commit({ kind: 'update', seq: 0, sessions }, INTERVAL_MS);
      expect(seq).toBeGreaterThan(0);
      const limited = new GatewayError('Slow down.', { code: ErrorCode.RATE_LIMITED, retryAfter: 4 });
      await holder.commit({ kind: 'error', error: limited, final: false }, INTERVAL_MS);
      const revoked = new GatewayError('Revoked.', { code: ErrorCode.UNAUTHENTICATED });
      await holder.commit({ kind: 'error', error: revoked, final: true }, INTERVAL_MS);
      await until(() => heard.second.length === 3, 'three messages');

      const [list, transient, final] = heard.second;
      expect(list).toEqual({
        kind: 'update',
        seq,
        sessions: [{ id: 7, status: 'requested', expiresAt, claimedAt: null }],
      });
      expect(transient).toMatchObject({ kind: 'error', final: false });
      expect(transient?.kind === 'error' && transient.error).toBeInstanceOf(GatewayError);
      expect(transient?.kind === 'error' && transient.error.extensions).toEqual({
        code: 'RATE_LIMITED',
        retryAfter: 4,
      });
      expect(final).toMatchObject({ kind: 'error', final: true });
      expect(final?.kind === 'error' && final.error.code).toBe('UNAUTHENTICATED');
      // A replica does not hear itself; a late joiner reads the stored list.
      expect(heard.first).toEqual([]);
      expect((await listener.listen())?.sessions[0]?.expiresAt).toEqual(expiresAt);

      // Released, the lock goes to the next replica that claims it.
      holder.leave({ release: true, forget: false });
      await first.close();
      expect((await listener.claim()).held).toBe(true);
      listener.leave({ release: true, forget: true });
    } finally {
      await Promise.all(buses.map((bus) => bus.close()));
    }
  });

  it('polls once for both replicas and brings every change to both subscribers', async () => {
    const key = apiKey('shared');
    lists.set(key, [session(1), { ...session(2), expires_at: '2026-02-22T19:31:00+02:00' }]);
    const onA = subscribe(a, key, `a-${run}-shared`);
    const [firstOnA] = await next(onA, 1, 'the first event on A');
    const onB = subscribe(b, key, `b-${run}-shared`);
    // B's subscriber joined late: it gets the current list at once, from the stored state.
    const [firstOnB] = await next(onB, 1, 'the first event on B');
    expect(ids(firstOnA)).toEqual(['1', '2']);
    expect(firstOnB).toEqual(firstOnA);
    expect(update(firstOnB)?.sessions).toEqual([
      { id: '1', status: 'REQUESTED', expiresAt: null },
      { id: '2', status: 'REQUESTED', expiresAt: '2026-02-22T17:31:00.000Z' },
    ]);

    const CHANGES = 5;
    for (let change = 1; change <= CHANGES; change += 1) {
      lists.set(key, [session(1), session(2 + change, 'claimed')]);
      const [onAEvents, onBEvents] = await Promise.all([
        next(onA, 1 + change, 'a change on A'),
        next(onB, 1 + change, 'a change on B'),
      ]);
      expect(onBEvents[change]).toEqual(onAEvents[change]);
      expect(update(onBEvents[change])).toMatchObject({
        added: [{ id: String(2 + change) }],
        removedIds: [String(1 + change)],
      });
    }
    // Several more intervals with both subscribed: still only A's poller asks.
    const polled = pollsBy(key, `a-${run}-shared`);
    await until(() => pollsBy(key, `a-${run}-shared`) >= polled + 5, 'five more polls');
    expect(pollsBy(key, `b-${run}-shared`)).toBe(0);
    expect(new Set(pollers(key))).toEqual(new Set([`a-${run}-shared`]));
    expect(onA.events).toHaveLength(1 + CHANGES);
    expect(onB.events).toHaveLength(1 + CHANGES);

    // The holder's subscriber leaves: B's replica takes over and its subscriber goes on.
    onA.close();
    await until(() => pollsBy(key, `b-${run}-shared`) >= 2, 'B to take over polling');
    const byAAfterTakeover = pollsBy(key, `a-${run}-shared`);
    lists.set(key, [session(42)]);
    const events = await next(onB, 2 + CHANGES, 'a change after the takeover');
    expect(update(events[1 + CHANGES])).toMatchObject({ added: [{ id: '42' }] });
    await until(() => pollsBy(key, `b-${run}-shared`) >= 5, 'more polls by B');
    expect(pollsBy(key, `a-${run}-shared`)).toBe(byAAfterTakeover);
    onB.close();
  }, 20_000);

  it('never shares between keys: one lock and one poller per key digest, no key in Redis', async () => {
    const first = apiKey('first');
    const second = apiKey('second');
    lists.set(first, [session(100)]);
    lists.set(second, [session(200)]);
    const firstOnA = subscribe(a, first, `a-${run}-first`);
    const secondOnB = subscribe(b, second, `b-${run}-second`);
    await next(firstOnA, 1, 'the first key on A');
    await next(secondOnB, 1, 'the second key on B');
    const secondOnA = subscribe(a, second, `a-${run}-second`);
    await next(secondOnA, 1, 'the second key on A');

    expect(ids(firstOnA.events[0])).toEqual(['100']);
    expect(ids(secondOnB.events[0])).toEqual(['200']);
    expect(ids(secondOnA.events[0])).toEqual(['200']);
    // Each replica polls the key it subscribed first: two locks, held by two replicas.
    const lockOf = (key: string) => redis.get(`agentmc-gateway:live:{${credentialDigest(key)}:*:5}:lock`);
    const [firstLock, secondLock] = await Promise.all([lockOf(first), lockOf(second)]);
    expect(firstLock).toMatch(/^[0-9a-f-]{36}$/);
    expect(secondLock).toMatch(/^[0-9a-f-]{36}$/);
    expect(firstLock).not.toBe(secondLock);
    expect(new Set(pollers(first))).toEqual(new Set([`a-${run}-first`]));
    expect(new Set(pollers(second))).toEqual(new Set([`b-${run}-second`]));

    lists.set(first, [session(101)]);
    await next(firstOnA, 2, 'a change of the first key');
    await until(() => pollers(second).length >= 3, 'polls of the second key');
    expect(secondOnB.events).toHaveLength(1);
    expect(secondOnA.events).toHaveLength(1);

    // Names and values in Redis carry digests and replica ids, never a key.
    const names = await redis.keys('agentmc-gateway:live:*');
    expect(names.length).toBeGreaterThan(0);
    const values = await Promise.all(
      names.filter((name) => !name.endsWith(':seq')).map((name) => redis.get(name)),
    );
    for (const text of [...names, ...values]) expect(text ?? '').not.toContain(`mca_redis_${run}`);
    for (const stream of [firstOnA, secondOnB, secondOnA]) stream.close();
  }, 20_000);

  it('brings errors to the other replica with their code, and ends both streams on 401', async () => {
    const key = apiKey('errors');
    lists.set(key, [session(300)]);
    const onA = subscribe(a, key, `a-${run}-errors`);
    await next(onA, 1, 'the first event on A');
    const onB = subscribe(b, key, `b-${run}-errors`);
    await next(onB, 1, 'the first event on B');

    lists.set(key, 'failing');
    const [, failureOnB] = await next(onB, 2, 'the transient failure on B');
    expect(failureOnB?.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    lists.set(key, [session(300), session(301)]);
    const [, , recoveredOnB] = await next(onB, 3, 'the recovery on B');
    expect(update(recoveredOnB)?.added).toEqual([{ id: '301' }]);

    lists.set(key, 'revoked');
    await Promise.all([onA.ended, onB.ended]);
    expect(onA.events.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(onB.events.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(new Set(pollers(key))).toEqual(new Set([`a-${run}-errors`]));
  }, 20_000);

  it('replaces a holder killed with SIGKILL', async () => {
    const key = apiKey('killed');
    lists.set(key, [session(500)]);
    const onA = subscribe(a, key, `a-${run}-killed`);
    await next(onA, 1, 'the first event on A');
    const onB = subscribe(b, key, `b-${run}-killed`);
    await next(onB, 1, 'the first event on B');
    await until(() => pollsBy(key, `a-${run}-killed`) >= 3, 'A to poll');
    expect(pollsBy(key, `b-${run}-killed`)).toBe(0);

    // A's stream breaks with its process; that is expected here.
    onA.ended.catch(() => undefined);
    kill(a.child);
    await once(a.child, 'exit');
    lists.set(key, [session(500), session(501)]);
    const [, changed] = await next(onB, 2, 'a change after the holder died');
    expect(update(changed)?.added).toEqual([{ id: '501' }]);
    expect(pollsBy(key, `b-${run}-killed`)).toBeGreaterThan(0);
  }, 15_000);
});
