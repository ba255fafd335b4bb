// Over 250 lines: one scenario (healthy, Redis killed, Redis back) whose phases share their subscribers.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type ListeningProcess } from '../scripts/gateway-process.js';
import {
  agentmc,
  json,
  SESSIONS_PATH,
  startFakeUpstream,
  type FakeUpstream,
} from './support/fake-upstream.js';
import { subscribeOverSse, type LiveEvent, type LiveStream } from './support/live-clients.js';
import { findRedisServer, startRedisServer, type RedisServer } from './support/redis-server.js';
import { session, sessionsPayload } from './support/sessions.js';
import {
  receivedIds,
  signalPolls,
  signalsUpstream,
  signalSubscription,
  until,
} from './support/signals-upstream.js';

/*
 * Live updates survive Redis: two gateway processes share their feeds through a redis-server of
 * this file's own, which is killed (SIGKILL) and started again on the same port while
 * subscribers of both kinds of feed (requestedSessionsChanged, realtimeSignalAdded) listen on
 * both replicas. The upstream changes one step at a time, each step once every subscriber has
 * the previous one, so each subscriber's whole event sequence is known: every change exactly
 * once, in order, before, during and after the outage. Nothing here waits on a clock: it waits
 * for conditions, with generous timeouts.
 */

const MISSING = 'redis-server is not on PATH (install Redis to run this test)';
const skip = findRedisServer() === undefined ? MISSING : undefined;
if (skip !== undefined && process.env.CI === 'true') throw new Error(`${MISSING}; CI must run it`);

const SESSION_ID = 500;
const WAIT_MS = 20_000;

const SESSIONS_SUBSCRIPTION = /* GraphQL */ `
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
      }
      removedIds
    }
  }
`;

const change = (event: LiveEvent) =>
  event.data?.requestedSessionsChanged as Record<string, unknown> | undefined;
const listIds = (event: LiveEvent) =>
  ((change(event)?.sessions ?? []) as { id: string }[]).map((entry) => entry.id);

interface LogLine {
  level?: number;
  event?: string;
  outageMs?: unknown;
}

function logLines(gateway: ListeningProcess): LogLine[] {
  return gateway
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

async function readyz(gateway: ListeningProcess): Promise<{ ready: boolean; live?: { redis?: string } }> {
  const response = await fetch(new URL('/readyz', gateway.url));
  return (await response.json()) as { ready: boolean; live?: { redis?: string } };
}

async function metric(gateway: ListeningProcess, name: string): Promise<number | undefined> {
  const text = await (await fetch(new URL('/metrics', gateway.url))).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** Polls `probe` until it returns true. */
async function eventually(probe: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const NAME = 'live updates survive Redis going away and coming back';

describe.skipIf(skip !== undefined)(skip === undefined ? NAME : `${NAME} (skipped: ${skip})`, () => {
  const run = randomUUID().slice(0, 8);
  const apiKey = `mca_outage_${run}`;
  const script = signalsUpstream();
  /** The requested sessions the upstream lists now. */
  let list = [session(1)];
  /** Every list the upstream served, in order: what each sessions subscriber must receive. */
  const lists: string[][] = [['1']];
  const streams: LiveStream[] = [];
  let redis: RedisServer;
  let upstream: FakeUpstream;
  let a: ListeningProcess;
  let b: ListeningProcess;
  let step = 0;

  const subscribe = (gateway: ListeningProcess, requestId: string, query: string) => {
    const stream = subscribeOverSse(gateway.url, query, {
      'x-api-key': apiKey,
      'x-request-id': `${requestId}-${run}`,
    });
    streams.push(stream);
    return stream;
  };

  let sessionsOnA: LiveStream;
  let sessionsOnB: LiveStream;
  let signalsOnA: LiveStream;
  let signalsOnAFromMiddle: LiveStream;
  let signalsOnB: LiveStream;
  let middle = 0;

  /** Every subscriber has every list so far, and every signal above its own `afterId`. */
  const caughtUp = () => {
    const all = script.ids(SESSION_ID);
    return (
      [sessionsOnA, sessionsOnB].every((stream) => stream.events.length >= lists.length) &&
      [signalsOnA, signalsOnB].every((stream) => receivedIds(stream.events).length >= all.length) &&
      receivedIds(signalsOnAFromMiddle.events).length >= all.filter((id) => id > middle).length
    );
  };

  /** One change of each feed: a session replaced, three more signals. */
  const changeUpstream = () => {
    step += 1;
    list = [session(1), session(100 + step, step % 2 === 0 ? 'claimed' : 'requested')];
    lists.push(list.map((entry) => String(entry.id)));
    script.append(SESSION_ID, 3);
  };

  const stepAndWait = async (what: string) => {
    changeUpstream();
    // What each subscriber had when it timed out, in the failure's message.
    await until(caughtUp, `${what} (step ${step})`, WAIT_MS).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}: ${progress()}`);
    });
  };

  /** What each subscriber has, for a failure's message. */
  const progress = () =>
    JSON.stringify({
      lists: lists.length,
      signals: script.ids(SESSION_ID).length,
      sessionsOnA: sessionsOnA.events.length,
      sessionsOnB: sessionsOnB.events.length,
      signalsOnA: receivedIds(signalsOnA.events).length,
      signalsOnAFromMiddle: receivedIds(signalsOnAFromMiddle.events).length,
      signalsOnB: receivedIds(signalsOnB.events).length,
    });

  /** The X-Request-Id of each poll since `from`: which replica's poller made it. */
  const sessionPollers = (from = 0) =>
    upstream.requests
      .slice(from)
      .filter((request) => request.path === SESSIONS_PATH)
      .map((request) => String(request.headers['x-request-id']));
  const signalPollers = (from = 0) =>
    signalPolls(upstream.requests.slice(from), SESSION_ID).map((request) =>
      String(request.headers['x-request-id']),
    );

  /** After `polls` more polls of each feed, the replicas whose pollers made them. */
  const pollersFromNowOn = async (polls: number) => {
    const from = upstream.requests.length;
    await until(
      () => sessionPollers(from).length >= polls && signalPollers(from).length >= polls,
      `${polls} more polls`,
      WAIT_MS,
    );
    return { sessions: new Set(sessionPollers(from)), signals: new Set(signalPollers(from)) };
  };

  const bothSay = (redisMode: string) =>
    eventually(
      async () => (await Promise.all([a, b].map(readyz))).every((body) => body.live?.redis === redisMode),
      `/readyz to report redis ${redisMode} on both replicas`,
    );

  beforeAll(async () => {
    redis = await startRedisServer();
    upstream = await startFakeUpstream();
    upstream.respondWith(
      script.responder(agentmc((response, request) => json(200, sessionsPayload(list))(response, request))),
    );
    script.append(SESSION_ID, 6);
    const env = {
      AGENTMC_API_URL: upstream.baseUrl.href,
      AGENTMC_API_GENERATION: 'agents',
      REDIS_URL: redis.url,
      LIVE_POLL_INTERVAL_MS: '100',
      LIVE_SIGNALS_POLL_INTERVAL_MS: '50',
      UPSTREAM_TIMEOUT_MS: '1000',
      UPSTREAM_RETRY_ATTEMPTS: '1',
    };
    [a, b] = await Promise.all([
      startGateway({ from: 'src', env, group: true }),
      startGateway({ from: 'src', env, group: true }),
    ]);
  }, 30_000);

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await upstream?.close();
    await redis?.stop('SIGKILL');
  });

  it('delivers every change exactly once, in order, to every subscriber through the outage', async () => {
    await bothSay('ok');
    expect(await metric(a, 'agentmc_redis_degraded')).toBe(0);
    expect(await metric(a, 'agentmc_redis_outages_total')).toBe(0);

    // Subscribers on both replicas, of both kinds of feed; one reads the signals from the middle.
    const first = script.ids(SESSION_ID);
    middle = first[2] ?? 0;
    sessionsOnA = subscribe(a, 'a-sessions', SESSIONS_SUBSCRIPTION);
    signalsOnA = subscribe(a, 'a-signals', signalSubscription({ sessionId: String(SESSION_ID) }));
    await until(caughtUpOn([sessionsOnA], [signalsOnA]), 'the first events on A', WAIT_MS);
    signalsOnAFromMiddle = subscribe(
      a,
      'a-signals-middle',
      signalSubscription({ sessionId: String(SESSION_ID), afterId: String(middle) }),
    );
    sessionsOnB = subscribe(b, 'b-sessions', SESSIONS_SUBSCRIPTION);
    signalsOnB = subscribe(b, 'b-signals', signalSubscription({ sessionId: String(SESSION_ID) }));
    await until(caughtUp, 'the first events on every subscriber', WAIT_MS);

    // Healthy: one replica polls each feed for both.
    await stepAndWait('a change while Redis is up');
    await stepAndWait('another change while Redis is up');
    const shared = await pollersFromNowOn(5);
    expect(shared.sessions.size).toBe(1);
    expect(shared.signals.size).toBe(1);

    // Redis crashes; a change follows at once, before the replicas may have noticed.
    await redis.stop('SIGKILL');
    await stepAndWait('a change as Redis dies');
    await bothSay('degraded');
    expect(await Promise.all([a, b].map((gateway) => metric(gateway, 'agentmc_redis_degraded')))).toEqual([
      1, 1,
    ]);
    for (let index = 0; index < 3; index += 1) await stepAndWait('a change while Redis is down');
    // Each replica polls for its own subscribers.
    const alone = await pollersFromNowOn(10);
    expect(alone.sessions).toEqual(new Set([`a-sessions-${run}`, `b-sessions-${run}`]));
    expect(alone.signals).toEqual(new Set([`a-signals-${run}`, `b-signals-${run}`]));

    // Redis is back, empty, on the same port; a change follows at once.
    await redis.restart();
    await stepAndWait('a change as Redis comes back');
    await bothSay('ok');
    for (let index = 0; index < 3; index += 1) await stepAndWait('a change after Redis came back');
    // Rejoined: one replica polls each feed for both again.
    const rejoined = await pollersFromNowOn(10);
    expect(rejoined.sessions.size).toBe(1);
    expect(rejoined.signals.size).toBe(1);
    await stepAndWait('a last change');

    // Every subscriber's whole sequence: each list once, in order; each signal once, in order.
    for (const stream of [sessionsOnA, sessionsOnB]) {
      expect(stream.events.every((event) => event.errors === undefined)).toBe(true);
      expect(stream.events.map(listIds)).toEqual(lists);
      stream.events.slice(1).forEach((event, index) => {
        const [before = [], after = []] = [lists[index], lists[index + 1]];
        expect(change(event)).toMatchObject({
          added: after.filter((id) => !before.includes(id)).map((id) => ({ id })),
          removedIds: before.filter((id) => !after.includes(id)),
        });
      });
    }
    const all = script.ids(SESSION_ID);
    for (const stream of [signalsOnA, signalsOnB, signalsOnAFromMiddle]) {
      expect(stream.events.every((event) => event.errors === undefined)).toBe(true);
    }
    expect(receivedIds(signalsOnA.events)).toEqual(all);
    expect(receivedIds(signalsOnB.events)).toEqual(all);
    expect(receivedIds(signalsOnAFromMiddle.events)).toEqual(all.filter((id) => id > middle));

    // One line when Redis went, one when it came back; none per reconnection attempt.
    for (const gateway of [a, b]) {
      const lines = logLines(gateway);
      expect(lines.filter((line) => line.event === 'redis_outage')).toHaveLength(1);
      const recovered = lines.filter((line) => line.event === 'redis_recovered');
      expect(recovered).toHaveLength(1);
      expect(recovered[0]?.outageMs).toEqual(expect.any(Number));
      const aboutRedis = lines.filter(
        (line) => /^(live_|redis_)/.test(line.event ?? '') && line.event !== 'redis_recovered',
      );
      // At info level: the per-attempt lines (debug) are not written.
      expect(aboutRedis.map((line) => line.event)).toEqual(['redis_outage']);
      expect(gateway.stderr()).not.toContain('ioredis');
      expect(await metric(gateway, 'agentmc_redis_outages_total')).toBe(1);
      expect(await metric(gateway, 'agentmc_redis_degraded')).toBe(0);
    }
  }, 120_000);
});

/** Whether these subscribers have their first events. */
function caughtUpOn(sessions: LiveStream[], signals: LiveStream[]): () => boolean {
  return () =>
    sessions.every((stream) => stream.events.length >= 1) &&
    signals.every((stream) => receivedIds(stream.events).length >= 1);
}
