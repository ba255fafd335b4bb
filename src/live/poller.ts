import { callerWithSignal, type Caller } from '../caller.js';
import { ErrorCode, GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AgentMcClient } from '../upstream/client.js';
import type { RealtimeSession } from '../upstream/models.js';
import { ROUTES, type RequestedSessionsScope } from '../upstream/routes.js';
import type { FeedBus, FeedLink } from './feed-bus.js';
import type { BusMessage, FeedEvent, FeedFailure, FeedSnapshot, SessionsUpdate } from './feed-events.js';

export interface PollerSettings {
  /** How often a poller asks AgentMC while all is well. */
  intervalMs: number;
  /** The longest wait between polls while AgentMC keeps failing. */
  maxBackoffMs: number;
}

export type Listener = (event: FeedEvent) => void;

/** Failures that will not heal by waiting: the stream ends with them. */
const FINAL_CODES: ReadonlySet<string> = new Set([ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN]);

/**
 * One feed on this replica: its local subscribers and the list they last received. In-process,
 * it polls at every tick. With a bus, it polls only while it holds the feed's lock (claimed at
 * every tick, so a dead holder is replaced), and applies what the holder publishes otherwise.
 */
export class Poller {
  readonly #listeners = new Set<Listener>();
  readonly #link: FeedLink | undefined;
  #last: RealtimeSession[] | undefined;
  #seq = 0;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: AbortController | undefined;
  #stopped = false;
  /** Subscribed to the bus's channel of this feed. */
  #listening = false;
  /** Set while waiting out a failure: the lock is then kept to its end rather than released. */
  #backingOff = false;

  constructor(
    private readonly client: AgentMcClient,
    private readonly caller: Caller,
    private readonly scope: RequestedSessionsScope,
    private readonly settings: PollerSettings,
    private readonly logger: Logger,
    shared?: { bus: FeedBus; feedId: string },
  ) {
    this.#link = shared?.bus.join(shared.feedId, (message) => this.#receive(message));
  }

  get idle(): boolean {
    return this.#listeners.size === 0;
  }

  add(listener: Listener): void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) {
      void this.#tick();
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

  #halt(forget = false): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#inFlight?.abort();
    // While backing off, the lock is left to expire so no other replica polls before it may.
    this.#link?.leave({ release: forget || !this.#backingOff, forget });
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    if (this.#link !== undefined) {
      try {
        if (!this.#listening) {
          // A first subscriber on this replica gets the list the polling replica stored, at once.
          const stored = await this.#link.listen();
          this.#listening = true;
          if (stored !== undefined) this.#apply(stored);
        }
        const { held, snapshot } = await this.#link.claim();
        if (this.#stopped) return;
        if (snapshot !== undefined) this.#apply(snapshot);
        // Another replica polls: this one only listens, and tries again at the next tick.
        if (!held) return this.#schedule(this.settings.intervalMs);
      } catch (error) {
        this.#busFailed(error);
        return this.#schedule(this.settings.intervalMs);
      }
    }
    await this.#poll();
  }

  async #poll(): Promise<void> {
    this.#inFlight = new AbortController();
    const { signal } = this.#inFlight;
    let sessions: RealtimeSession[];
    try {
      sessions = await this.client.call(
        callerWithSignal(this.caller, () => signal),
        ROUTES.listAgentRealtimeRequestedSessions,
        this.scope,
        this.scope.agentId,
      );
    } catch (error) {
      if (this.#stopped) return;
      return this.#failed(error);
    }
    if (this.#stopped) return;
    this.#failures = 0;
    this.#backingOff = false;
    const changed = diff(this.#last, sessions) !== undefined;
    const message = changed ? { kind: 'update' as const, seq: 0, sessions } : undefined;
    const seq = await this.#commit(message, this.settings.intervalMs);
    if (this.#stopped) return;
    if (seq !== undefined && changed) this.#apply({ seq, sessions });
    this.#schedule(this.settings.intervalMs);
  }

  async #failed(error: unknown): Promise<void> {
    const failure =
      error instanceof GatewayError
        ? error
        : new GatewayError(
            'The AgentMC API could not be polled.',
            { code: ErrorCode.UPSTREAM_UNAVAILABLE },
            error,
          );
    const final = FINAL_CODES.has(failure.code);
    this.#failures += 1;
    const backoff = Math.min(this.settings.maxBackoffMs, this.settings.intervalMs * 2 ** this.#failures);
    // Never poll again before the upstream said we may.
    const retryAfterMs = (failure.extensions.retryAfter ?? 0) * 1000;
    const delay = Math.max(backoff, retryAfterMs);
    this.logger.debug({ event: 'live_poll_failed', code: failure.code }, 'live poll failed; backing off');
    const message: FeedFailure = { kind: 'error', error: failure, final };
    // The lock is kept through the backoff, so no other replica polls before it is over.
    const committed = await this.#commit(message, delay);
    if (this.#stopped) return;
    if (committed === undefined) return this.#schedule(this.settings.intervalMs);
    this.#receive(message);
    if (final) return;
    this.#backingOff = true;
    this.#schedule(delay);
  }

  /** Publishes through the bus when there is one; in-process, every poll is the holder's. */
  async #commit(message: BusMessage | undefined, nextDelayMs: number): Promise<number | undefined> {
    if (this.#link === undefined) return message?.kind === 'update' ? this.#seq + 1 : 0;
    try {
      return await this.#link.commit(message, nextDelayMs);
    } catch (error) {
      this.#busFailed(error);
      return undefined;
    }
  }

  /** What the holder published (or this replica, as holder, just committed). */
  #receive(message: BusMessage): void {
    if (this.#stopped) return;
    if (message.kind === 'update') return this.#apply(message);
    this.#broadcast(message);
    if (message.final) {
      this.#listeners.clear();
      this.#halt(true);
    }
  }

  /** Moves to a newer list, telling subscribers what changed; older or known lists are ignored. */
  #apply(snapshot: FeedSnapshot): void {
    if (this.#stopped || snapshot.seq <= this.#seq) return;
    const update = diff(this.#last, snapshot.sessions);
    this.#seq = snapshot.seq;
    this.#last = snapshot.sessions;
    if (update !== undefined) this.#broadcast(update);
  }

  #busFailed(error: unknown): void {
    this.logger.warn(
      { event: 'live_bus_failed', err: error instanceof Error ? error.message : String(error) },
      'live feed bus (Redis) failed; retrying at the next tick',
    );
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
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
