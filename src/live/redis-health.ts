import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { BusHealth } from './feed-bus.js';

/*
 * Whether the live feeds can share their pollers through Redis right now (redis-feed-bus.ts).
 *
 * An outage starts at the first sign of one: a connection's 'error', 'close' or 'end', or a
 * command that failed for want of a connection (refused without an offline queue, timed out,
 * aborted by a close). It is logged once (`redis_outage`, warn), counted, and the gauge goes to
 * 1; ioredis's own errors while it reconnects go to debug only. It ends when both connections
 * are ready again and answer PING (checked at every 'ready' and every `probeMs`, which also
 * catches a Redis that hung without dropping the connection): one `redis_recovered` line (info)
 * with how long it lasted, and `epoch` moves on, so that every poller rejoins its shared feed.
 */

export interface RedisHealthMetrics {
  /** A new outage began. */
  redisOutage(): void;
  /** The feeds poll in-process (true) or share through Redis again (false). */
  redisDegraded(degraded: boolean): void;
}

/** ioredis's own messages for a command that could not reach Redis. */
const UNREACHABLE_MESSAGES = [
  'Command timed out',
  "Stream isn't writeable",
  'Connection is closed',
  'Command aborted due to connection close',
];

/** Whether `error` says Redis could not be reached (rather than that a command was wrong). */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'AbortError') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return UNREACHABLE_MESSAGES.some((message) => error.message.startsWith(message));
}

export class RedisHealth implements BusHealth {
  #state: 'starting' | 'ok' | 'degraded' = 'starting';
  #epoch = 0;
  #outageSince = 0;
  #probe: NodeJS.Timeout | undefined;
  #probing = false;
  #closed = false;
  #settle!: () => void;
  readonly settled = new Promise<void>((resolve) => (this.#settle = resolve));

  constructor(
    private readonly connections: readonly Redis[],
    private readonly options: {
      logger: Logger;
      metrics?: RedisHealthMetrics | undefined;
      /** How often an outage checks whether Redis is back. */
      probeMs: number;
      /** Called each time Redis answers again, the first connection included. */
      onUp?: () => void;
    },
  ) {
    // Not sharing until the first connection is up.
    options.metrics?.redisDegraded(true);
    for (const redis of connections) {
      redis.on('ready', () => this.#check());
      redis.on('error', (error: Error) => this.#down(error));
      redis.on('close', () => this.#down(new Error('Connection is closed.')));
      redis.on('end', () => this.#down(new Error('Connection ended.')));
    }
  }

  get available(): boolean {
    return this.#state === 'ok';
  }

  get epoch(): number {
    return this.#epoch;
  }

  /** `ok`, or `degraded` while the feeds poll in-process (and before the first connection). */
  get mode(): 'ok' | 'degraded' {
    return this.#state === 'ok' ? 'ok' : 'degraded';
  }

  failed(error: unknown): boolean {
    if (!isUnreachable(error)) return false;
    this.#down(error as Error);
    return true;
  }

  /** Stops watching: what the connections do while they close is no outage. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#probe);
    this.#settle();
  }

  #down(error: Error): void {
    if (this.#closed) return;
    if (this.#state === 'degraded') {
      // One line per outage: every reconnection attempt's error stays at debug.
      this.options.logger.debug({ event: 'live_redis_error', err: error.message }, 'Redis still unreachable');
      return;
    }
    this.#state = 'degraded';
    this.#outageSince = Date.now();
    this.options.metrics?.redisOutage();
    this.options.metrics?.redisDegraded(true);
    this.options.logger.warn(
      { event: 'redis_outage', err: error.message },
      'Redis is unreachable; live feeds poll in-process until it is back',
    );
    this.#settle();
    this.#probe ??= setInterval(() => this.#check(), this.options.probeMs);
    this.#probe.unref();
  }

  /** Back (or up for the first time) once both connections are ready and answer PING. */
  #check(): void {
    if (this.#closed || this.#state === 'ok' || this.#probing) return;
    if (!this.connections.every((redis) => redis.status === 'ready')) return;
    this.#probing = true;
    Promise.all(this.connections.map((redis) => redis.ping())).then(
      () => {
        this.#probing = false;
        this.#up();
      },
      (error: unknown) => {
        this.#probing = false;
        this.failed(error);
      },
    );
  }

  #up(): void {
    if (this.#closed || this.#state === 'ok') return;
    const outage = this.#state === 'degraded';
    this.#state = 'ok';
    this.#epoch += 1;
    clearInterval(this.#probe);
    this.#probe = undefined;
    this.options.metrics?.redisDegraded(false);
    this.#settle();
    if (outage) {
      this.options.logger.info(
        { event: 'redis_recovered', outageMs: Date.now() - this.#outageSince },
        'Redis is back; live feeds share their pollers again',
      );
    }
    this.options.onUp?.();
  }
}
