// Over 250 lines: realtimeSignalAdded shared across replicas through one real redis-server; its setup is shared by every case.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialDigest } from '../src/credentials.js';
import { ErrorCode, GatewayError } from '../src/errors.js';
import { RedisFeedBus } from '../src/live/redis-feed-bus.js';
import type { SignalBusMessage } from '../src/live/signal-bus.js';
import { RedisSignalBus } from '../src/live/signal-redis-bus.js';
import { createLogger } from '../src/logger.js';
import type { RealtimeSignal } from '../src/upstream/models.js';
import { startGateway as startGatewayProcess } from '../scripts/gateway-process.js';
import { agentmc, envelope, startFakeUpstream, type FakeUpstream } from './support/fake-upstream.js';
import { subscribeOverSse, type LiveStream } from './support/live-clients.js';
import { provideTestRedis } from './support/redis-server.js';
import {
  afterIdOf,
  receivedIds,
  signalPolls,
  signalsUpstream,
  signalSubscription,
  until,
} from './support/signals-upstream.js';

/*
 * Two gateway processes sharing one Redis (REDIS_URL) in front of one scripted signals list.
 * Each subscription sends its own X-Request-Id, which the poller it starts sends upstream: which
 * replica polled is read on the upstream's requests, not on timing.
 */

const testRedis = await provideTestRedis('test/live-signals-redis.test.ts');
const REDIS_URL = testRedis.url ?? '';

interface GatewayProcess {
  child: ChildProcess;
  url: URL;
}

const children: ChildProcess[] = [];

async function startGateway(upstream: FakeUpstream): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess({
    from: 'src',
    env: {
      AGENTMC_API_URL: upstream.baseUrl.href,
      AGENTMC_API_GENERATION: 'agents',
      REDIS_URL,
      LIVE_SIGNALS_POLL_INTERVAL_MS: '50',
      // The lock TTL is 2 intervals + this: a killed holder is replaced within about 1.1 s.
      UPSTREAM_TIMEOUT_MS: '1000',
      UPSTREAM_RETRY_ATTEMPTS: '1',
      LIVE_MAX_SUBSCRIPTIONS_PER_KEY: '50',
    },
    group: true,
  });
  children.push(gateway.child);
  return { child: gateway.child, url: gateway.url };
}

function kill(child: ChildProcess): void {
  try {
    process.kill(-(child.pid ?? 0), 'SIGKILL');
  } catch {
    // already gone
  }
}

async function signals(stream: LiveStream, count: number, what: string): Promise<number[]> {
  await until(() => receivedIds(stream.events).length >= count, `${what} (${count} signals)`, 15_000);
  return receivedIds(stream.events);
}

const SUITE = 'realtimeSignalAdded shared across replicas through Redis';
const NAME = testRedis.skip === undefined ? SUITE : `${SUITE} (skipped: ${testRedis.skip})`;

describe.skipIf(testRedis.skip !== undefined)(NAME, () => {
  const run = randomUUID().slice(0, 8);
  const apiKey = (name: string) => `mca_signals_${run}_${name}`;
  const script = signalsUpstream();
  const streams: LiveStream[] = [];
  let upstream: FakeUpstream;
  let redis: Redis;
  let a: GatewayProcess;
  let b: GatewayProcess;

  const subscribe = (
    gateway: GatewayProcess,
    key: string,
    requestId: string,
    args: { sessionId: string; afterId?: string },
  ) => {
    const stream = subscribeOverSse(gateway.url, signalSubscription(args), {
      'x-api-key': key,
      'x-request-id': `${requestId}-${run}`,
    });
    streams.push(stream);
    return stream;
  };
  /** The X-Request-Id of every request for `sessionId`'s signals: which replica's poller made it. */
  const pollsBy = (sessionId: number, requestId: string) =>
    signalPolls(upstream.requests, sessionId).filter(
      (request) => request.headers['x-request-id'] === `${requestId}-${run}`,
    );
  const pollers = (sessionId: number) =>
    new Set(signalPolls(upstream.requests, sessionId).map((request) => request.headers['x-request-id']));

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    upstream = await startFakeUpstream();
    upstream.respondWith(script.responder(agentmc()));
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

  it('stores pages at the cursor only, trims the history, and carries pages and errors', async () => {
    const logger = createLogger('silent');
    const feedBuses = [1, 2].map(() => new RedisFeedBus({ url: REDIS_URL, lockTtlMs: 1000, logger }));
    const [one, two] = feedBuses.map(
      (feedBus) => new RedisSignalBus(feedBus, { lockTtlMs: 1000, historyLimit: 3, logger }),
    ) as [RedisSignalBus, RedisSignalBus];
    const feedId = `bus-${run}:*:1`;
    const heard: SignalBusMessage[] = [];
    const row = (id: number | string) =>
      ({
        id: String(id),
        payload: { text: 'a b', list: [] },
        createdAt: '2026-02-22T17:21:00.000Z',
      }) as unknown as RealtimeSignal;
    try {
      const holder = one.join(feedId, () => undefined);
      const listener = two.join(feedId, (message) => heard.push(message));
      await Promise.all([holder.listen(), listener.listen()]);
      expect(await holder.claim()).toEqual({ held: true, window: undefined });
      expect((await listener.claim()).held).toBe(false);

      const page = { kind: 'page' as const, from: '0', to: '2', signals: [row(1), row(2)], ended: false };
      expect(await holder.commit(page, 50)).toBe('committed');
      // Not at the stored cursor (2): refused, nothing stored or published.
      expect(await holder.commit({ ...page, from: '1', to: '3', signals: [row(3)] }, 50)).toBe('stale');
      expect(await listener.commit({ ...page, from: '2', to: '3', signals: [row(3)] }, 50)).toBe('lost');
      const next = { ...page, from: '2', to: '5', signals: [row(3), row(4), row(5)] };
      expect(await holder.commit(next, 50)).toBe('committed');
      const limited = new GatewayError('Slow down.', { code: ErrorCode.RATE_LIMITED, retryAfter: 3 });
      expect(await holder.commit({ kind: 'error', error: limited, final: false }, 50)).toBe('committed');
      await until(() => heard.length === 3, 'three messages');

      expect(heard[0]).toEqual(page);
      expect(heard[1]).toEqual(next);
      expect(heard[2]).toMatchObject({ kind: 'error', final: false });
      expect(heard[2]?.kind === 'error' && heard[2].error.extensions).toEqual({
        code: 'RATE_LIMITED',
        retryAfter: 3,
      });
      // Three kept: the window starts after the first dropped one.
      expect(await listener.read('0')).toEqual({
        window: { cursor: '5', historyFrom: '2' },
        signals: [row(3), row(4), row(5)],
      });
      expect((await listener.read('4'))?.signals).toEqual([row(5)]);
      expect((await listener.claim()).window).toEqual({ cursor: '5', historyFrom: '2' });

      // Ids beyond 2^53, which a score (a double) rounds alike: cursors and reads stay exact.
      const huge = ['9007199254740993', '9007199254740994', '9007199254740995', '9007199254740996'];
      const beyond = { ...page, from: '5', to: huge[3] ?? '', signals: huge.map(row) };
      expect(await holder.commit(beyond, 50)).toBe('committed');
      expect(await holder.commit({ ...beyond, from: '9007199254740995', to: '9007199254740997' }, 50)).toBe(
        'stale',
      );
      expect(await listener.read(huge[1] ?? '')).toEqual({
        window: { cursor: huge[3], historyFrom: huge[0] },
        signals: [row(huge[2] ?? ''), row(huge[3] ?? '')],
      });
      await until(() => heard.length === 4, 'the page beyond 2^53');
      expect(heard[3]).toEqual(beyond);

      // Released and forgotten: the next holder starts without a window.
      holder.leave({ release: true, forget: true });
      await feedBuses[0]?.close();
      expect(await listener.claim()).toEqual({ held: true, window: undefined });
      listener.leave({ release: true, forget: true });
    } finally {
      await Promise.all(feedBuses.map((feedBus) => feedBus.close()));
    }
  });
  it('polls on one replica only, and brings every signal once, in order, to subscribers on both', async () => {
    const key = apiKey('shared');
    const ids = script.append(100, 450);
    const onA = subscribe(a, key, 'a-shared', { sessionId: '100' });
    expect(await signals(onA, 450, 'the backlog on A')).toEqual(ids);
    // B's subscribers read what A stored: from the start, and from the 100th signal.
    const fromStart = subscribe(b, key, 'b-shared-start', { sessionId: '100' });
    const fromMiddle = subscribe(b, key, 'b-shared-middle', { sessionId: '100', afterId: String(ids[99]) });
    expect(await signals(fromStart, 450, 'the backlog on B')).toEqual(ids);
    expect(await signals(fromMiddle, 350, 'the backlog from the middle on B')).toEqual(ids.slice(100));

    const all = [...ids];
    for (let round = 0; round < 3; round += 1) {
      all.push(...script.append(100, 30 + round));
      await Promise.all([onA, fromStart].map((stream) => signals(stream, all.length, `round ${round}`)));
      await signals(fromMiddle, all.length - 100, `round ${round} from the middle`);
    }
    expect(receivedIds(onA.events)).toEqual(all);
    expect(receivedIds(fromStart.events)).toEqual(all);
    expect(receivedIds(fromMiddle.events)).toEqual(all.slice(100));
    expect(pollers(100)).toEqual(new Set([`a-shared-${run}`]));

    // Names and values in Redis carry digests and replica ids, never the key.
    const lock = await redis.get(`agentmc-gateway:live-signals:{${credentialDigest(key)}:*:100}:lock`);
    expect(lock).toMatch(/^[0-9a-f-]{36}$/);
    const names = await redis.keys('agentmc-gateway:live-signals:*');
    const values = await Promise.all(
      names.map(async (name) =>
        (await redis.type(name)) === 'zset' ? (await redis.zrange(name, 0, -1)).join('') : redis.get(name),
      ),
    );
    for (const text of [...names, ...values]) expect(text ?? '').not.toContain(`mca_signals_${run}`);
    for (const stream of [onA, fromStart, fromMiddle]) stream.close();
  }, 30_000);

  it('ends the streams on both replicas when the session closes, or with FORBIDDEN on 403', async () => {
    const key = apiKey('ending');
    const ids = script.append(200, 5);
    const onA = subscribe(a, key, 'a-closing', { sessionId: '200' });
    await signals(onA, 5, 'the signals on A');
    const onB = subscribe(b, key, 'b-closing', { sessionId: '200', afterId: String(ids[1]) });
    await signals(onB, 3, 'the signals on B');
    const last = script.append(200, 2);
    script.setStatus(200, 'closed');
    await Promise.all([onA.ended, onB.ended]);
    expect(receivedIds(onA.events)).toEqual([...ids, ...last]);
    expect(receivedIds(onB.events)).toEqual([...ids.slice(2), ...last]);
    expect(pollers(200)).toEqual(new Set([`a-closing-${run}`]));

    const denied = script.append(201, 2);
    const deniedOnB = subscribe(b, key, 'b-denied', { sessionId: '201' });
    await signals(deniedOnB, 2, 'the signals on B');
    const deniedOnA = subscribe(a, key, 'a-denied', { sessionId: '201' });
    await signals(deniedOnA, 2, 'the signals on A');
    script.fail(201, envelope(403, { code: 'forbidden', message: 'No.' }));
    await Promise.all([deniedOnA.ended, deniedOnB.ended]);
    for (const stream of [deniedOnA, deniedOnB]) {
      expect(receivedIds(stream.events)).toEqual(denied);
      expect(stream.events.at(-1)?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(pollers(201)).toEqual(new Set([`b-denied-${run}`]));
  }, 30_000);

  it('goes on from the stored cursor when the polling replica is killed, exactly once for everyone', async () => {
    const key = apiKey('takeover');
    const before = script.append(300, 300);
    const onA = subscribe(a, key, 'a-takeover', { sessionId: '300' });
    await signals(onA, 300, 'the backlog on A');
    const first = subscribe(b, key, 'b-takeover-1', { sessionId: '300' });
    const second = subscribe(b, key, 'b-takeover-2', { sessionId: '300', afterId: String(before[149]) });
    await signals(first, 300, 'the backlog on B');
    await signals(second, 150, 'the backlog from the middle on B');
    // A has polled past the backlog: the stored cursor is its last signal. B's poller takes the
    // request id of whichever of B's two subscriptions started it, and a subscriber may catch up
    // with a page of its own while B's replica loads the stored history: B's polls are counted
    // by either id. While A polls, B never does.
    const pollsByB = () => [...pollsBy(300, 'b-takeover-1'), ...pollsBy(300, 'b-takeover-2')];
    const polledByA = pollsBy(300, 'a-takeover').length;
    const byB = pollsByB().length;
    await until(() => pollsBy(300, 'a-takeover').length >= polledByA + 3, 'idle polls by A');
    expect(pollsByB()).toHaveLength(byB);

    // A's stream breaks with its process; that is expected here.
    onA.ended.catch(() => undefined);
    kill(a.child);
    await once(a.child, 'exit');
    // Signals recorded while nobody polls: more than two full pages, drained after the takeover.
    const during = script.append(300, 450);
    await until(() => pollsByB().length > byB, 'B to take over');
    const takeover = pollsByB().sort((x, y) => x.receivedAt - y.receivedAt)[byB];
    expect(afterIdOf(takeover as never)).toBe(before.at(-1));
    const all = [...before, ...during];
    await signals(first, all.length, 'the signals after the takeover');
    await signals(second, all.length - 150, 'the signals after the takeover, from the middle');
    const after = script.append(300, 7);
    all.push(...after);
    await signals(first, all.length, 'new signals');
    await signals(second, all.length - 150, 'new signals, from the middle');
    // A newcomer older than the kept history pages the first ones itself, then joins.
    const late = subscribe(b, key, 'b-takeover-late', { sessionId: '300', afterId: '0' });
    await signals(late, all.length, 'the newcomer');

    expect(receivedIds(first.events)).toEqual(all);
    expect(receivedIds(second.events)).toEqual(all.slice(150));
    expect(receivedIds(late.events)).toEqual(all);
    for (const stream of [first, second, late]) {
      expect(stream.events.every((event) => event.errors === undefined)).toBe(true);
    }
    // B's poll stream, from the takeover on (a catch-up page before it is a subscriber's own),
    // only moves forward, from where A's stopped.
    const cursors = pollsByB()
      .sort((x, y) => x.receivedAt - y.receivedAt)
      .slice(byB)
      .map(afterIdOf);
    expect(cursors).toEqual([...cursors].sort((x, y) => x - y));
    expect(cursors[0]).toBe(before.at(-1));
    for (const stream of [first, second, late]) stream.close();
  }, 40_000);
});
