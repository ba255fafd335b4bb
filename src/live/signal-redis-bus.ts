// Over 250 lines on purpose: its Lua scripts and the TypeScript that calls them must be read side by side.
import { failureFromJson, failureToJson } from './feed-events.js';
import type { Logger } from '../logger.js';
import { compareIds, idAbove } from '../upstream/decimal-ids.js';
import type { DecimalId, RealtimeSignal } from '../upstream/models.js';
import { CLAIM, type RedisChannels } from './redis-feed-bus.js';
import type { BusHealth } from './feed-bus.js';
import type { SignalBus, SignalBusMessage, SignalLink, SignalWindow } from './signal-bus.js';
import { SIGNAL_HISTORY } from './signal-pages.js';

/*
 * Shares signals pollers across gateway replicas through Redis (REDIS_URL), over the connections
 * of the requested-sessions bus (redis-feed-bus.ts). Per feed, i.e. per (SHA-256 digest of the
 * API key, agent or none, session) — the key itself never reaches Redis:
 *
 * - `agentmc-gateway:live-signals:{<feed>}:lock`: the replica that polls, as for requested
 *   sessions: taken with SET NX PX at every tick, renewed by the holder at every tick and with
 *   every commit for its next delay plus `lockTtlMs` (kept through a backoff), released when its
 *   last local subscriber leaves; a holder that died is replaced within about `lockTtlMs`.
 * - `…:state`: the window, `<cursor> <historyFrom>`; `…:history`: a sorted set of its signals
 *   (score: id, member: the signal's JSON), the last `historyLimit` of them. Ids are decimal
 *   strings of any size: cursors are compared as strings (both canonical); scores (doubles, exact
 *   up to 2^53) only narrow a read, which `read` finishes with `compareIds`. COMMIT stores a page
 *   and publishes it in one script, and only if the page starts at the stored cursor, so the
 *   stored window never has a gap and never disagrees with what was published. Both outlive
 *   the lock by `stateTtlMs`: a replica taking over after a crash goes on from the stored cursor.
 * - `…:events`: Pub/Sub, `page <replica> <from> <to> <ended 0|1> <JSON array of signals>` or
 *   `error <replica> <{ message, extensions, final }>`. A replica that hears a page starting
 *   past its own cursor (it missed one), or sees at a tick that the stored cursor is ahead of
 *   its own, reads the stored window (READ) instead: nothing published is ever lost to it.
 *
 * A session that ended, or a failure that ends the streams, drops the window (RELEASE forget).
 * Keys share a hash tag, for Redis Cluster.
 */

const PREFIX = 'agentmc-gateway:live-signals:';

/**
 * KEYS: lock, state, history. ARGV: replica id, hold ms, state ms, channel, from, to, ended,
 * history limit, then (id, JSON) per signal. Returns -1 when the lock is not this replica's,
 * -2 when the stored cursor is not `from`, 1 once stored and published.
 */
const COMMIT_PAGE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local stored = redis.call('GET', KEYS[2])
local historyFrom = ARGV[5]
if stored then
  local space = string.find(stored, ' ', 1, true)
  if string.sub(stored, 1, space - 1) ~= ARGV[5] then return -2 end
  historyFrom = string.sub(stored, space + 1)
else
  redis.call('DEL', KEYS[3])
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local rows = {}
for i = 9, #ARGV, 2 do
  redis.call('ZADD', KEYS[3], ARGV[i], ARGV[i + 1])
  rows[#rows + 1] = ARGV[i + 1]
end
local excess = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[8])
if excess > 0 then
  local last = redis.call('ZRANGE', KEYS[3], excess - 1, excess - 1, 'WITHSCORES')
  historyFrom = cjson.decode(last[1]).id
  redis.call('ZREMRANGEBYRANK', KEYS[3], 0, excess - 1)
end
redis.call('SET', KEYS[2], ARGV[6] .. ' ' .. historyFrom, 'PX', ARGV[3])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
redis.call('PUBLISH', ARGV[4], 'page ' .. ARGV[1] .. ' ' .. ARGV[5] .. ' ' .. ARGV[6] .. ' ' .. ARGV[7] .. ' [' .. table.concat(rows, ',') .. ']')
return 1
`;

/**
 * KEYS: lock, state, history. ARGV: replica id, hold ms, state ms, channel, kind (error|renew),
 * JSON. Returns -1 when the lock is not this replica's, else 1.
 */
const COMMIT_OTHER = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
if ARGV[5] == 'error' then redis.call('PUBLISH', ARGV[4], 'error ' .. ARGV[1] .. ' ' .. ARGV[6]) end
return 1
`;

/**
 * KEYS: state, history. ARGV: after. Returns {} without a window, else { state, signals scored
 * at or above `after` } (a score rounds an id beyond 2^53: the caller drops those not above it).
 */
const READ = `
local stored = redis.call('GET', KEYS[1])
if not stored then return {} end
return { stored, redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[1], '+inf') }
`;

/** KEYS: lock, state, history. ARGV: replica id, forget (1|0). Deletes the lock only if it is ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if ARGV[2] == '1' then redis.call('DEL', KEYS[2], KEYS[3]) end
return 1
`;

export interface RedisSignalBusOptions {
  /** How long a lock outlives its holder's next planned poll: the takeover time after a crash. */
  lockTtlMs: number;
  /** How long a window outlives its holder's next planned poll. @default 10 minutes */
  stateTtlMs?: number;
  /** Signals stored per window. @default SIGNAL_HISTORY */
  historyLimit?: number;
  logger: Logger;
}

export class RedisSignalBus implements SignalBus {
  readonly #lockTtlMs: number;
  readonly #stateTtlMs: number;
  readonly #historyLimit: number;
  readonly #logger: Logger;

  constructor(
    private readonly redis: RedisChannels,
    options: RedisSignalBusOptions,
  ) {
    this.#lockTtlMs = options.lockTtlMs;
    this.#stateTtlMs = options.stateTtlMs ?? 10 * 60 * 1000;
    this.#historyLimit = options.historyLimit ?? SIGNAL_HISTORY;
    this.#logger = options.logger;
  }

  get health(): BusHealth {
    return this.redis.health;
  }

  join(feedId: string, deliver: (message: SignalBusMessage) => void): SignalLink {
    const base = `${PREFIX}{${feedId}}`;
    const channel = `${base}:events`;
    const lock = `${base}:lock`;
    const state = `${base}:state`;
    const history = `${base}:history`;
    const owner = this.redis.replicaId;
    const hear = (text: string) => this.#dispatch(text, deliver);
    let left = false;

    return {
      listen: async () => {
        await this.redis.subscribe(channel, hear);
      },
      claim: async () => {
        const [held, stored] = (await this.redis.run(CLAIM, [lock, state], [owner, this.#lockTtlMs])) as [
          number,
          string | null,
        ];
        return { held: held === 1, window: parseWindow(stored) };
      },
      read: async (after) => {
        const result = (await this.redis.run(READ, [state, history], [after])) as [] | [string, string[]];
        const window = parseWindow(result[0] ?? null);
        if (window === undefined) return undefined;
        const signals = (result[1] ?? [])
          .map((text) => JSON.parse(text) as RealtimeSignal)
          .filter((signal) => idAbove(signal.id, after))
          .sort((a, b) => compareIds(a.id, b.id));
        return { window, signals };
      },
      commit: async (message, holdMs) => {
        const hold = holdMs + this.#lockTtlMs;
        const keep = hold + this.#stateTtlMs;
        let result: number;
        if (message?.kind === 'page') {
          const rows = message.signals.flatMap((signal) => [signal.id, JSON.stringify(signal)]);
          result = (await this.redis.run(
            COMMIT_PAGE,
            [lock, state, history],
            [
              owner,
              hold,
              keep,
              channel,
              message.from,
              message.to,
              message.ended ? 1 : 0,
              this.#historyLimit,
              ...rows,
            ],
          )) as number;
        } else {
          const json = message === undefined ? '' : failureToJson(message);
          result = (await this.redis.run(
            COMMIT_OTHER,
            [lock, state, history],
            [owner, hold, keep, channel, message === undefined ? 'renew' : 'error', json],
          )) as number;
        }
        return result === -1 ? 'lost' : result === -2 ? 'stale' : 'committed';
      },
      leave: ({ release, forget }) => {
        if (left) return;
        left = true;
        this.redis.unsubscribe(channel, hear);
        if (release) {
          this.redis.background(this.redis.run(RELEASE, [lock, state, history], [owner, forget ? '1' : '0']));
        }
      },
    };
  }

  #dispatch(text: string, deliver: (message: SignalBusMessage) => void): void {
    const fields = splitFields(text, text.startsWith('page ') ? 5 : 2);
    // What this replica published, it applied already.
    if (fields === undefined || fields[1] === this.redis.replicaId) return;
    try {
      if (fields[0] === 'page') {
        const [, , from, to, ended, json] = fields;
        deliver({
          kind: 'page',
          from: from ?? '',
          to: to ?? '',
          ended: ended === '1',
          signals: JSON.parse(json ?? '[]') as RealtimeSignal[],
        });
      } else if (fields[0] === 'error') {
        deliver(failureFromJson(fields[2] ?? ''));
      }
    } catch (error) {
      this.#logger.warn(
        { event: 'live_redis_bad_message', err: error instanceof Error ? error.message : String(error) },
        'unreadable live feed message ignored',
      );
    }
  }
}

/** `count` space-separated fields, then the rest of the text as one more. */
function splitFields(text: string, count: number): string[] | undefined {
  const fields: string[] = [];
  let start = 0;
  for (let field = 0; field < count; field += 1) {
    const end = text.indexOf(' ', start);
    if (end === -1) return undefined;
    fields.push(text.slice(start, end));
    start = end + 1;
  }
  fields.push(text.slice(start));
  return fields;
}

function parseWindow(stored: string | null): SignalWindow | undefined {
  if (stored === null) return undefined;
  const [cursor, historyFrom] = stored.split(' ');
  if (cursor === undefined || historyFrom === undefined) return undefined;
  return { cursor: cursor as DecimalId, historyFrom: historyFrom as DecimalId };
}
