// Over 250 lines on purpose: its Lua scripts and the TypeScript that calls them must be read side by side.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { RealtimeSession } from '../upstream/models.js';
import type { BusHealth, FeedBus, FeedLink } from './feed-bus.js';
import { failureFromJson, failureToJson, type BusMessage, type FeedSnapshot } from './feed-events.js';
import { RedisHealth, type RedisHealthMetrics } from './redis-health.js';

/*
 * Shares live pollers across gateway replicas through Redis (REDIS_URL). Per feed, i.e. per
 * (SHA-256 digest of the API key, agent or host, limit) — the key itself never reaches Redis:
 *
 * - `agentmc-gateway:live:{<feed>}:lock` holds the replica id of the one replica that polls.
 *   Every replica with local subscribers tries to take it at each interval tick
 *   (`SET NX PX` in CLAIM); the holder renews it at every tick and after every poll (CLAIM and
 *   COMMIT compare the owner first), for the next delay plus `lockTtlMs`, so a holder that
 *   died is replaced within about `lockTtlMs`, and one waiting out a failure (backoff,
 *   Retry-After) keeps it so no other replica polls early. RELEASE (compare-and-delete) gives it
 *   up when the holder's last local subscriber leaves; the others take over at their next tick.
 * - `…:events` is the Pub/Sub channel of what the holder publishes: `<seq> <replica> <json>`,
 *   the JSON being the new list for an update (seq > 0) or `{ message, extensions, final }` for
 *   an error (seq 0). Every replica, the holder aside (it applies its own), diffs the list
 *   against the one it has, so its subscribers receive the same added/updated/removedIds.
 * - `…:state` is the last list published, `<seq> <json>`, written with the event by the same
 *   script (so a publish and its state never disagree) and expiring with the lock: a late
 *   joiner on any replica reads it right after subscribing and gets the current list at once;
 *   a replica taking the lock over diffs against it, so a takeover sends no spurious event.
 * - `…:seq` numbers the lists (INCR), so a list older than the one a replica has is ignored.
 * - `…:refresh` asks the holder to publish its next poll's list even if it did not change: set
 *   by a replica that rejoins the feed after an outage (its subscribers got what it polled on
 *   its own meanwhile), so it diffs against a list polled after it rejoined; deleted by the
 *   holder's CLAIM, which then reports it.
 *
 * Only the holder may publish: COMMIT checks ownership in the same script, so a replica that
 * lost the lock (paused longer than its TTL) drops its stale result. Keys share a hash tag, for
 * Redis Cluster.
 *
 * When Redis cannot be reached (redis-health.ts), each replica polls for its own subscribers
 * until it is back, then rejoins: see Poller. Commands fail at once meanwhile (no offline queue,
 * nothing resent after a reconnection), so nothing stale reaches Redis later.
 */

const PREFIX = 'agentmc-gateway:live:';
/** The seq counter outlives any gap between two subscribers of a feed. */
const SEQ_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * KEYS: lock, state. ARGV: replica id, TTL. Returns { held (0|1), stored state or nil }. The signals
 * bus takes its locks with it too.
 */
export const CLAIM = `
local holder = redis.call('GET', KEYS[1])
local held = 0
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  held = 1
elseif not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  held = 1
end
return { held, redis.call('GET', KEYS[2]) }
`;

/**
 * CLAIM for requested sessions. KEYS: lock, state, refresh. ARGV: replica id, TTL, refresh
 * wanted (1|0), refresh TTL. Returns { held, stored state or nil, refresh asked (0|1) }: a holder
 * takes (deletes) a pending request; a replica that does not hold the lock leaves its own.
 */
const CLAIM_SESSIONS = `
local holder = redis.call('GET', KEYS[1])
local held = 0
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  held = 1
elseif not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  held = 1
end
local refresh = 0
if held == 1 then
  refresh = redis.call('DEL', KEYS[3])
elseif ARGV[3] == '1' then
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[4])
end
return { held, redis.call('GET', KEYS[2]), refresh }
`;

/**
 * KEYS: lock, state, seq. ARGV: replica id, hold ms, channel, kind (update|error|renew), JSON.
 * Returns -1 when the lock is not this replica's, else the update's seq (0 otherwise).
 */
const COMMIT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if ARGV[4] == 'update' then
  local seq = redis.call('INCR', KEYS[3])
  redis.call('PEXPIRE', KEYS[3], ${SEQ_TTL_MS})
  redis.call('SET', KEYS[2], seq .. ' ' .. ARGV[5], 'PX', ARGV[2])
  redis.call('PUBLISH', ARGV[3], seq .. ' ' .. ARGV[1] .. ' ' .. ARGV[5])
  return seq
end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
if ARGV[4] == 'error' then redis.call('PUBLISH', ARGV[3], '0 ' .. ARGV[1] .. ' ' .. ARGV[5]) end
return 0
`;

/** KEYS: lock, state. ARGV: replica id, forget (1|0). Deletes the lock only if it is ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if ARGV[2] == '1' then redis.call('DEL', KEYS[2]) end
return 1
`;

export interface RedisFeedBusOptions {
  /** `redis://` or `rediss://`. */
  url: string;
  /** How long a lock outlives its holder's next planned poll: the takeover time after a crash. */
  lockTtlMs: number;
  logger: Logger;
  /** The outage counter and the degraded gauge. */
  metrics?: RedisHealthMetrics;
  /** How often an outage checks whether Redis is back. @default 1000 */
  probeMs?: number;
}

/**
 * What sibling buses (signal-redis-bus.ts) use of this bus's two connections, so a replica keeps
 * two Redis connections however many kinds of feed it shares.
 */
export interface RedisChannels {
  readonly replicaId: string;
  /** Whether Redis answers; what a command failure says (one log line per outage). */
  readonly health: BusHealth;
  /** EVAL on the commands connection. */
  run(script: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
  /** Subscribes `channel`; each message's text goes to `deliver`, unparsed (origin included). */
  subscribe(channel: string, deliver: (text: string) => void): Promise<void>;
  /** Stops hearing `channel` (in the background, awaited by `close`), unless another `deliver` took it since. */
  unsubscribe(channel: string, deliver: (text: string) => void): void;
  /** A command sent in the background (a release): awaited by `close`, its failure logged. */
  background(operation: Promise<unknown>): void;
}

export class RedisFeedBus implements FeedBus, RedisChannels {
  /** Names this process as a lock holder and as the origin of what it publishes. */
  readonly replicaId = randomUUID();
  readonly #commands: Redis;
  /** Pub/Sub needs a connection of its own. */
  readonly #subscriber: Redis;
  /** channel → the local poller of that feed. */
  readonly #deliveries = new Map<string, (message: BusMessage) => void>();
  /** channel → a sibling bus's local feed, which parses its own messages. */
  readonly #rawDeliveries = new Map<string, (text: string) => void>();
  /** Releases in flight, awaited on close so a stopping replica hands its locks over at once. */
  readonly #pending = new Set<Promise<unknown>>();
  /**
   * Channels left while Redis was unreachable: ioredis subscribes them again when it reconnects,
   * so they are unsubscribed at the recovery unless a feed listens to them again by then.
   */
  readonly #orphans = new Set<string>();
  readonly #lockTtlMs: number;
  readonly #logger: Logger;
  readonly #health: RedisHealth;

  constructor(options: RedisFeedBusOptions) {
    this.#lockTtlMs = options.lockTtlMs;
    this.#logger = options.logger;
    const connection = {
      connectionName: `agentmc-graphql-${this.replicaId}`,
      // Fail fast instead of queueing while Redis is away: the pollers go on in-process
      // (redis-health.ts) and nothing stale is sent once it is back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: 1000,
      connectTimeout: 5000,
      // Reconnects forever, every 2 s at most; each attempt's error is logged at debug only.
      retryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
    };
    // Loaded only by replicas that use Redis: the client costs the others ~20 MB of memory.
    const { Redis: RedisClient } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
    this.#commands = new RedisClient(options.url, connection);
    this.#subscriber = new RedisClient(options.url, connection);
    // Also the one 'error' listener each connection needs (ioredis prints unhandled ones).
    this.#health = new RedisHealth([this.#commands, this.#subscriber], {
      logger: options.logger,
      metrics: options.metrics,
      probeMs: options.probeMs ?? 1000,
      onUp: () => this.#dropOrphans(),
    });
    this.#subscriber.on('message', (channel: string, text: string) => this.#dispatch(channel, text));
  }

  get health(): RedisHealth {
    return this.#health;
  }

  join(feedId: string, deliver: (message: BusMessage) => void): FeedLink {
    const base = `${PREFIX}{${feedId}}`;
    const channel = `${base}:events`;
    const lock = `${base}:lock`;
    const state = `${base}:state`;
    const seq = `${base}:seq`;
    const refresh = `${base}:refresh`;
    const owner = this.replicaId;
    this.#deliveries.set(channel, deliver);
    let left = false;

    return {
      listen: async () => {
        await this.#health.settled;
        this.#orphans.delete(channel);
        await this.#subscriber.subscribe(channel);
        return parseState(await this.#commands.get(state));
      },
      claim: async ({ refresh: wanted = false } = {}) => {
        await this.#health.settled;
        const [held, stored, asked] = (await this.#commands.eval(
          CLAIM_SESSIONS,
          3,
          lock,
          state,
          refresh,
          owner,
          this.#lockTtlMs,
          wanted ? '1' : '0',
          SEQ_TTL_MS,
        )) as [number, string | null, number];
        return { held: held === 1, snapshot: parseState(stored), refresh: asked === 1 };
      },
      commit: async (message, holdMs) => {
        await this.#health.settled;
        const [kind, json] =
          message === undefined
            ? ['renew', '']
            : message.kind === 'update'
              ? ['update', JSON.stringify(message.sessions)]
              : ['error', failureToJson(message)];
        const result = (await this.#commands.eval(
          COMMIT,
          3,
          lock,
          state,
          seq,
          owner,
          holdMs + this.#lockTtlMs,
          channel,
          kind,
          json,
        )) as number;
        return result < 0 ? undefined : result;
      },
      leave: ({ release, forget }) => {
        if (left) return;
        left = true;
        if (this.#deliveries.get(channel) === deliver) this.#deliveries.delete(channel);
        this.#unsubscribe(channel);
        if (release) this.#track(this.#commands.eval(RELEASE, 2, lock, state, owner, forget ? '1' : '0'));
      },
    };
  }

  async run(script: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    await this.#health.settled;
    return this.#commands.eval(script, keys.length, ...keys, ...args);
  }

  async subscribe(channel: string, deliver: (text: string) => void): Promise<void> {
    this.#rawDeliveries.set(channel, deliver);
    await this.#health.settled;
    this.#orphans.delete(channel);
    await this.#subscriber.subscribe(channel);
  }

  unsubscribe(channel: string, deliver: (text: string) => void): void {
    if (this.#rawDeliveries.get(channel) !== deliver) return;
    this.#rawDeliveries.delete(channel);
    this.#unsubscribe(channel);
  }

  background(operation: Promise<unknown>): void {
    this.#track(operation);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
    this.#health.close();
    const quit = Promise.allSettled([this.#commands.quit(), this.#subscriber.quit()]);
    await Promise.race([quit, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    this.#commands.disconnect();
    this.#subscriber.disconnect();
  }

  #track(operation: Promise<unknown>): void {
    const tracked = operation
      .catch((error: unknown) => {
        // Redis unreachable: logged once for the whole outage.
        if (this.#health.failed(error)) return;
        this.#logger.warn(
          { event: 'live_redis_error', err: error instanceof Error ? error.message : String(error) },
          'Redis command failed',
        );
      })
      .finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  /** Stops hearing `channel`; while Redis is away, at the recovery (see #orphans). */
  #unsubscribe(...channels: string[]): void {
    const orphan = () => channels.forEach((channel) => this.#orphans.add(channel));
    if (!this.#health.available) return orphan();
    this.#track(
      this.#subscriber.unsubscribe(...channels).catch((error: unknown) => {
        orphan();
        throw error;
      }),
    );
  }

  #dropOrphans(): void {
    const orphans = [...this.#orphans].filter(
      (channel) => !this.#deliveries.has(channel) && !this.#rawDeliveries.has(channel),
    );
    this.#orphans.clear();
    if (orphans.length > 0) this.#unsubscribe(...orphans);
  }

  #dispatch(channel: string, text: string): void {
    const raw = this.#rawDeliveries.get(channel);
    if (raw !== undefined) return raw(text);
    const deliver = this.#deliveries.get(channel);
    if (deliver === undefined) return;
    const seqEnd = text.indexOf(' ');
    const originEnd = text.indexOf(' ', seqEnd + 1);
    // What this replica published, it applied already.
    if (text.slice(seqEnd + 1, originEnd) === this.replicaId) return;
    const seq = Number(text.slice(0, seqEnd));
    const json = text.slice(originEnd + 1);
    try {
      if (seq > 0) {
        deliver({ kind: 'update', seq, sessions: JSON.parse(json) as RealtimeSession[] });
      } else {
        deliver(failureFromJson(json));
      }
    } catch (error) {
      this.#logger.warn(
        { event: 'live_redis_bad_message', err: error instanceof Error ? error.message : String(error) },
        'unreadable live feed message ignored',
      );
    }
  }
}

function parseState(stored: string | null): FeedSnapshot | undefined {
  if (stored === null) return undefined;
  const space = stored.indexOf(' ');
  return {
    seq: Number(stored.slice(0, space)),
    sessions: JSON.parse(stored.slice(space + 1)) as RealtimeSession[],
  };
}
