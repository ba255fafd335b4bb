import { Repeater } from 'graphql-yoga';
import { credentialDigest } from '../credentials.js';
import { ErrorCode, GatewayError, tooManySubscriptions } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AgentMcClient, UpstreamCaller } from '../upstream/client.js';
import type { RealtimeSession } from '../upstream/payloads.js';

export interface FeedSettings {
  /** How often a poller asks AgentMC while all is well. */
  intervalMs: number;
  /** The longest wait between polls while AgentMC keeps failing. */
  maxBackoffMs: number;
  /** Subscriptions open at once, in all and per API key. */
  maxSubscriptions: number;
  maxSubscriptionsPerKey: number;
}

export interface SessionsUpdate {
  kind: 'update';
  sessions: RealtimeSession[];
  added: RealtimeSession[];
  updated: RealtimeSession[];
  removedIds: number[];
}

/** A failure to report; `final` ends the stream (a key that is no longer accepted). */
export interface FeedFailure {
  kind: 'error';
  error: GatewayError;
  final: boolean;
}

export type FeedEvent = SessionsUpdate | FeedFailure;
type Listener = (event: FeedEvent) => void;

/** Failures that will not heal by waiting: the stream ends with them. */
const FINAL_CODES: ReadonlySet<string> = new Set([ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN]);

/**
 * Turns AgentMC's polled list into push: one poller per (API key, limit), however many
 * subscribers share it, polling at an interval, emitting only when the list changed, and
 * stopping when its last subscriber leaves. Subscribers of different keys never share.
 */
export class RequestedSessionsFeeds {
  readonly #pollers = new Map<string, Poller>();
  readonly #perKey = new Map<string, number>();
  #total = 0;

  constructor(
    private readonly client: AgentMcClient,
    private readonly settings: FeedSettings,
    private readonly logger: Logger,
  ) {}

  /** Pollers running now; for tests and metrics. */
  get pollers(): number {
    return this.#pollers.size;
  }

  /** The caller's stream of updates. Throws TOO_MANY_SUBSCRIPTIONS past the caps. */
  subscribe(caller: UpstreamCaller, limit: number): AsyncIterable<FeedEvent> {
    const digest = credentialDigest(caller.apiKey);
    const ofKey = this.#perKey.get(digest) ?? 0;
    if (this.#total >= this.settings.maxSubscriptions || ofKey >= this.settings.maxSubscriptionsPerKey) {
      throw tooManySubscriptions(ofKey >= this.settings.maxSubscriptionsPerKey ? 'key' : 'gateway');
    }
    this.#total += 1;
    this.#perKey.set(digest, ofKey + 1);
    const key = `${digest}:${limit}`;

    return new Repeater<FeedEvent>(async (push, stop) => {
      const listener: Listener = (event) => {
        void push(event);
        if (event.kind === 'error' && event.final) stop();
      };
      let poller = this.#pollers.get(key);
      if (poller === undefined) {
        poller = new Poller(this.client, { ...caller, signal: undefined }, limit, this.settings, this.logger);
        this.#pollers.set(key, poller);
      }
      poller.add(listener);
      await stop;
      poller.remove(listener);
      if (poller.idle) this.#pollers.delete(key);
      this.#total -= 1;
      const left = (this.#perKey.get(digest) ?? 1) - 1;
      if (left === 0) this.#perKey.delete(digest);
      else this.#perKey.set(digest, left);
    });
  }

  /** Ends every stream, e.g. on shutdown, so long-lived connections let the server close. */
  close(): void {
    for (const poller of this.#pollers.values()) poller.end();
    this.#pollers.clear();
  }
}

class Poller {
  readonly #listeners = new Set<Listener>();
  #last: RealtimeSession[] | undefined;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: AbortController | undefined;
  #stopped = false;

  constructor(
    private readonly client: AgentMcClient,
    private readonly caller: UpstreamCaller,
    private readonly limit: number,
    private readonly settings: FeedSettings,
    private readonly logger: Logger,
  ) {}

  get idle(): boolean {
    return this.#listeners.size === 0;
  }

  add(listener: Listener): void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) {
      void this.#poll();
    } else if (this.#last !== undefined) {
      // A late joiner's first event is the current list.
      listener({ kind: 'update', sessions: this.#last, added: this.#last, updated: [], removedIds: [] });
    }
  }

  remove(listener: Listener): void {
    this.#listeners.delete(listener);
    if (this.#listeners.size === 0) this.#halt();
  }

  /** Ends the streams of every subscriber. */
  end(): void {
    for (const listener of this.#listeners) {
      listener({
        kind: 'error',
        error: new GatewayError('The gateway is shutting down; subscribe again.', {
          code: ErrorCode.UPSTREAM_UNAVAILABLE,
        }),
        final: true,
      });
    }
    this.#listeners.clear();
    this.#halt();
  }

  #halt(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#inFlight?.abort();
  }

  async #poll(): Promise<void> {
    if (this.#stopped) return;
    this.#inFlight = new AbortController();
    try {
      const sessions = await this.client.listRequestedSessions(
        { ...this.caller, signal: this.#inFlight.signal },
        this.limit,
      );
      this.#failures = 0;
      const update = diff(this.#last, sessions);
      this.#last = sessions;
      if (update !== undefined) this.#broadcast(update);
      this.#schedule(this.settings.intervalMs);
    } catch (error) {
      if (this.#stopped) return;
      const failure =
        error instanceof GatewayError
          ? error
          : new GatewayError(
              'The AgentMC API could not be polled.',
              { code: ErrorCode.UPSTREAM_UNAVAILABLE },
              error,
            );
      const final = FINAL_CODES.has(failure.code);
      this.#broadcast({ kind: 'error', error: failure, final });
      if (final) {
        this.#listeners.clear();
        this.#halt();
        return;
      }
      this.#failures += 1;
      const backoff = Math.min(this.settings.maxBackoffMs, this.settings.intervalMs * 2 ** this.#failures);
      // Never poll again before the upstream said we may.
      const retryAfterMs = (failure.extensions.retryAfter ?? 0) * 1000;
      this.logger.debug({ event: 'live_poll_failed', code: failure.code }, 'live poll failed; backing off');
      this.#schedule(Math.max(backoff, retryAfterMs));
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#poll(), delayMs);
  }

  #broadcast(event: FeedEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

/** What changed since the previous list; undefined when nothing did (no event is sent). */
function diff(
  previous: RealtimeSession[] | undefined,
  current: RealtimeSession[],
): SessionsUpdate | undefined {
  if (previous === undefined) {
    return { kind: 'update', sessions: current, added: current, updated: [], removedIds: [] };
  }
  const before = new Map(previous.map((session) => [session.id, JSON.stringify(session)]));
  const now = new Set(current.map((session) => session.id));
  const added = current.filter((session) => !before.has(session.id));
  const updated = current.filter(
    (session) => before.has(session.id) && before.get(session.id) !== JSON.stringify(session),
  );
  const removedIds = previous.filter((session) => !now.has(session.id)).map((session) => session.id);
  if (added.length === 0 && updated.length === 0 && removedIds.length === 0) return undefined;
  return { kind: 'update', sessions: current, added, updated, removedIds };
}
