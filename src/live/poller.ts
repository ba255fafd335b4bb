// Over 250 lines on purpose: one feed's loop (poll, back off, share through Redis, fall back, rejoin) reads as one state machine.
import { callerWithSignal, type Caller } from '../caller.js';
import { ErrorCode, GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AgentMcClient } from '../upstream/client.js';
import type { RealtimeSession } from '../upstream/models.js';
import { ROUTES, type RequestedSessionsScope } from '../upstream/routes.js';
import type { BusHealth, FeedBus, FeedLink } from './feed-bus.js';
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
 *
 * While the bus is unavailable (Redis down), it polls in-process for its own subscribers, with
 * the same diff against what they last received, and ignores the bus. When Redis is back it
 * rejoins (a new bus epoch): it listens and claims again, asking for a refresh; the stored list
 * may predate what it polled on its own, so it only sets the seq baseline, and the holder's next
 * poll (or its own, as holder) is published even if unchanged. Each replica diffs that list
 * against what its subscribers last received: no change is missed, none is sent twice.
 */
export class Poller {
  readonly #listeners = new Set<Listener>();
  readonly #link: FeedLink | undefined;
  readonly #health: BusHealth | undefined;
  #last: RealtimeSession[] | undefined;
  #seq = 0;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: AbortController | undefined;
  #stopped = false;
  /** The bus epoch in which it last joined the feed (listened and claimed); none yet. */
  #joined: number | undefined;
  /** What the bus delivered while it was joining, applied once the join has set its baseline. */
  #heldBack: BusMessage[] | undefined;
  /** Publish the next list polled even if unchanged: a rejoining replica diffs against it. */
  #refresh = false;
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
    this.#health = shared?.bus.health;
    this.#link = shared?.bus.join(shared.feedId, (message) => this.#heard(message));
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
    const link = this.#link;
    const health = this.#health;
    if (link !== undefined && health !== undefined) {
      // At start, the first connection to Redis decides.
      await health.settled;
      if (this.#stopped) return;
      // Redis unavailable: this replica polls for its own subscribers.
      if (health.available) {
        try {
          const epoch = health.epoch;
          const { held, refresh } =
            this.#joined === epoch ? await this.#claim(link) : await this.#join(link, epoch);
          if (this.#stopped) return;
          if (refresh) this.#refresh = true;
          // Another replica polls: this one only listens, and tries again at the next tick.
          if (!held) return this.#schedule(this.settings.intervalMs);
        } catch (error) {
          this.#busFailed(error);
          // Still there (the command itself failed): try again at the next tick. Gone: poll now.
          if (health.available) return this.#schedule(this.settings.intervalMs);
        }
      }
    }
    await this.#poll();
  }

  async #claim(link: FeedLink): Promise<{ held: boolean; refresh: boolean }> {
    const claim = await link.claim();
    if (claim.snapshot !== undefined) this.#apply(claim.snapshot);
    return claim;
  }

  /** Joins the feed: first, or again after an outage (see the class comment). */
  async #join(link: FeedLink, epoch: number): Promise<{ held: boolean; refresh: boolean }> {
    this.#heldBack = [];
    try {
      // Subscribed before the stored list is read, so that no publication falls between.
      const stored = await link.listen();
      const rejoining = this.#last !== undefined;
      const claim = await link.claim({ refresh: rejoining });
      if (rejoining) {
        // Its subscribers have what it polled on its own, maybe newer than the stored list:
        // only lists published from now on count (the holder's next one is a refresh).
        this.#seq = claim.snapshot?.seq ?? 0;
        if (claim.held) this.#refresh = true;
      } else {
        // A first subscriber on this replica gets the list the polling replica stored, at once.
        if (stored !== undefined) this.#apply(stored);
        if (claim.snapshot !== undefined) this.#apply(claim.snapshot);
      }
      this.#joined = epoch;
      const heard = this.#heldBack;
      this.#heldBack = undefined;
      for (const message of heard) this.#receive(message);
      return claim;
    } finally {
      this.#heldBack = undefined;
    }
  }

  /** Whether it polls through the bus now: Redis is there and it joined since it came back. */
  #shared(): boolean {
    return this.#health?.available === true && this.#joined === this.#health.epoch;
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
    const refresh = this.#refresh && this.#shared();
    const publish = refresh || diff(this.#last, sessions) !== undefined;
    const message = publish ? { kind: 'update' as const, seq: 0, sessions } : undefined;
    const seq = await this.#commit(message, this.settings.intervalMs);
    if (this.#stopped) return;
    if (seq !== undefined && publish) {
      if (refresh && this.#shared()) this.#refresh = false;
      this.#apply({ seq, sessions });
    }
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

  /**
   * Publishes through the bus when it shares one; in-process (no bus, or Redis unavailable),
   * every poll is the holder's.
   */
  async #commit(message: BusMessage | undefined, nextDelayMs: number): Promise<number | undefined> {
    const local = () => (message?.kind === 'update' ? this.#seq + 1 : 0);
    if (this.#link === undefined || !this.#shared()) return local();
    try {
      return await this.#link.commit(message, nextDelayMs);
    } catch (error) {
      this.#busFailed(error);
      // Redis went away with the poll in hand: its subscribers get it as in-process.
      return this.#health?.available === false ? local() : undefined;
    }
  }

  /** What the bus delivered: applied while this replica shares the feed, ignored otherwise. */
  #heard(message: BusMessage): void {
    if (this.#heldBack !== undefined) this.#heldBack.push(message);
    else if (this.#shared()) this.#receive(message);
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
    // Redis unreachable: logged once for the whole outage (redis-health.ts).
    if (this.#health?.failed(error) === true) return;
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
