// Over 250 lines on purpose: one poller's loop (drain, wait, back off, end, take over) reads as one state machine.
import { callerWithSignal, type Caller } from '../caller.js';
import { ErrorCode, GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AgentMcClient } from '../upstream/client.js';
import { idAbove } from '../upstream/decimal-ids.js';
import type { DecimalId, RealtimeSignal, RealtimeSignalList } from '../upstream/models.js';
import type { FeedFailure } from './feed-events.js';
import type { BusHealth } from './feed-bus.js';
import type { PollerSettings } from './poller.js';
import type { SignalBus, SignalBusMessage, SignalLink, SignalPage, SignalWindow } from './signal-bus.js';
import {
  backoffMs,
  fetchSignals,
  FROM_START,
  isLastPage,
  pollFailure,
  SIGNALS_PAGE,
  type SignalsScope,
} from './signal-pages.js';
import { SignalHistory, type SignalSubscriber } from './signal-window.js';

/**
 * One signals feed on this replica: the window of the session's signals its subscribers read
 * from (see SignalWindow), and the polling that moves it on. In-process, it polls at every tick;
 * with a bus, only while it holds the feed's lock, and it applies what the holder publishes
 * otherwise (reading the stored window when it missed a message).
 *
 * Exactly once, in order, per subscriber: subscribers are not pushed to, they pull. Each one
 * reads the window's signals above its own `lastId`; a subscriber whose `lastId` is older than
 * the window (it joined late with an old `afterId`, or was slower than the window moved) pages
 * the API on its own from `lastId` until it is inside the window again, then reads from it. No
 * gap: the window holds every signal of (historyFrom, cursor] and only grows at the cursor. No
 * duplicate: a subscriber takes only ids above the last it received, wherever they come from.
 *
 * Across replicas (signal-redis-bus.ts) the window is shared too: the holder polls from the
 * stored cursor and stores each page, with its publication, only at that cursor; the other
 * replicas extend their own windows with the published pages, or from the stored window when
 * they missed one (a page that starts past their cursor, or a stored cursor ahead at a tick). A
 * replica taking the lock over, after a release or a crash, goes on from the stored cursor, so
 * nothing is polled twice or skipped; its subscribers still take only ids above their own.
 *
 * While Redis is unavailable, it polls in-process from its own cursor for its own subscribers
 * and ignores the bus; when Redis is back (a new bus epoch) it listens and claims again, and
 * goes on as after a takeover: from the stored cursor when it holds the lock (ids it has are not
 * added twice), or from what the holder publishes and stores. Subscribers, who take only ids
 * above their own last one, never see the switch.
 */
export class SignalPoller {
  readonly #subscribers = new Set<SignalSubscriber>();
  readonly #link: SignalLink | undefined;
  readonly #health: BusHealth | undefined;
  readonly #window: SignalHistory;
  /** The session ended: no signal follows the cursor. */
  #ended = false;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: AbortController | undefined;
  #started = false;
  #stopped = false;
  /** The bus epoch in which it last subscribed to the feed; none yet. */
  #joined: number | undefined;
  /** Set while waiting out a failure: the lock is then kept to its end rather than released. */
  #backingOff = false;
  #syncing: Promise<void> | undefined;
  #syncAgain = false;

  constructor(
    private readonly client: AgentMcClient,
    private readonly caller: Caller,
    private readonly scope: SignalsScope,
    private readonly settings: PollerSettings,
    private readonly logger: Logger,
    /** The first subscriber's `afterId` (0: from the start): where the window opens. */
    startAfter: DecimalId,
    shared?: { bus: SignalBus; feedId: string },
  ) {
    this.#window = new SignalHistory(startAfter);
    this.#health = shared?.bus.health;
    this.#link = shared?.bus.join(shared.feedId, (message) => {
      // While it polls on its own, the bus is not its source.
      if (this.#shared()) this.#receive(message);
    });
  }

  get idle(): boolean {
    return this.#subscribers.size === 0;
  }

  /** Polls no more (its session ended, a final failure, or no subscriber left). */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** The session ended: once a subscriber has the signals up to the cursor, it has them all. */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * The signals above `lastId`, in id order; undefined when `lastId` is older than the window
   * (the subscriber pages the API itself until it is inside).
   */
  after(lastId: DecimalId): RealtimeSignal[] | undefined {
    return this.#window.after(lastId);
  }

  add(subscriber: SignalSubscriber): void {
    this.#subscribers.add(subscriber);
    if (!this.#started) {
      this.#started = true;
      void this.#tick();
    }
  }

  remove(subscriber: SignalSubscriber): void {
    this.#subscribers.delete(subscriber);
    if (this.#subscribers.size === 0) this.#halt();
  }

  /** Ends the streams of every subscriber. */
  end(): void {
    const failure: FeedFailure = {
      kind: 'error',
      error: new GatewayError('The gateway is shutting down; subscribe again.', {
        code: ErrorCode.UPSTREAM_UNAVAILABLE,
      }),
      final: true,
    };
    for (const subscriber of this.#subscribers) subscriber.fail(failure);
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
    let from = this.#window.cursor;
    const health = this.#health;
    // Redis unavailable: this replica polls for its own subscribers, from its own cursor.
    if (this.#link !== undefined && health !== undefined && (await this.#usable(health))) {
      try {
        if (this.#joined !== health.epoch) {
          const epoch = health.epoch;
          // Subscribed before the window is read, so no message falls between the two.
          await this.#link.listen();
          this.#joined = epoch;
        }
        const { held, window } = await this.#link.claim();
        if (this.#stopped) return;
        // Missed messages, or a stored window with signals this empty one can serve late joiners.
        const behind = window !== undefined && idAbove(window.cursor, this.#window.cursor);
        const richer =
          window !== undefined && this.#window.empty && idAbove(window.cursor, window.historyFrom);
        if (behind || richer) {
          await this.#sync();
          if (this.#stopped) return;
        }
        if (!held) return this.#schedule(this.settings.intervalMs);
        // The shared cursor, so the stored window stays contiguous for every replica.
        from = window?.cursor ?? this.#window.cursor;
      } catch (error) {
        this.#busFailed(error);
        // Still there (the command itself failed): try again at the next tick. Gone: poll now.
        if (health.available) return this.#schedule(this.settings.intervalMs);
        from = this.#window.cursor;
      }
    }
    if (this.#stopped) return;
    await this.#poll(from);
  }

  /** Whether Redis can be used now; at start, once the first connection decided. */
  async #usable(health: BusHealth): Promise<boolean> {
    await health.settled;
    return health.available;
  }

  /** Whether it polls through the bus now: Redis is there and it subscribed since it came back. */
  #shared(): boolean {
    return this.#health?.available === true && this.#joined === this.#health.epoch;
  }

  async #poll(from: DecimalId): Promise<void> {
    this.#inFlight = new AbortController();
    const { signal } = this.#inFlight;
    let list: RealtimeSignalList;
    try {
      list = await fetchSignals(
        this.client,
        callerWithSignal(this.caller, () => signal),
        this.scope,
        from,
      );
    } catch (error) {
      if (this.#stopped) return;
      return this.#failed(error);
    }
    if (this.#stopped) return;
    this.#failures = 0;
    this.#backingOff = false;
    const signals = list.signals.filter((row) => idAbove(row.id, from));
    const full = list.signals.length >= SIGNALS_PAGE;
    const page: SignalBusMessage = {
      kind: 'page',
      from,
      to: signals.at(-1)?.id ?? from,
      signals,
      ended: isLastPage(list),
    };
    // A full page is followed at once by the next (drain); then the interval.
    const delay = full ? 0 : this.settings.intervalMs;
    const result = await this.#commit(signals.length > 0 || page.ended ? page : undefined, delay);
    if (this.#stopped) return;
    if (result !== 'committed') return this.#schedule(this.settings.intervalMs);
    this.#apply(page);
    this.#schedule(delay);
  }

  async #failed(error: unknown): Promise<void> {
    const failure = pollFailure(error);
    this.#failures += 1;
    const delay = backoffMs(this.settings, this.#failures, failure.error);
    this.logger.debug(
      { event: 'live_poll_failed', feed: 'signals', code: failure.error.code },
      'live poll failed; backing off',
    );
    // The lock is kept through the backoff, so no other replica polls before it is over.
    const committed = await this.#commit(failure, delay);
    if (this.#stopped) return;
    if (committed !== 'committed') return this.#schedule(this.settings.intervalMs);
    this.#receive(failure);
    if (failure.final) return;
    this.#backingOff = true;
    this.#schedule(delay);
  }

  /** Publishes through the bus when there is one; in-process, every poll is the holder's. */
  async #commit(
    message: SignalBusMessage | undefined,
    holdMs: number,
  ): Promise<'committed' | 'lost' | 'stale'> {
    if (this.#link === undefined || !this.#shared()) return 'committed';
    try {
      return await this.#link.commit(message, holdMs);
    } catch (error) {
      this.#busFailed(error);
      // Redis went away with the page in hand: its subscribers get it as in-process.
      return this.#health?.available === false ? 'committed' : 'lost';
    }
  }

  /** What the holder published (or this replica, as holder, just committed). */
  #receive(message: SignalBusMessage): void {
    if (this.#stopped) return;
    if (message.kind === 'page') return this.#apply(message);
    for (const subscriber of this.#subscribers) subscriber.fail(message);
    if (message.final) this.#halt(true);
  }

  /** Moves the window on by a page that starts inside it; a later one means messages were missed. */
  #apply(page: SignalPage): void {
    if (this.#stopped) return;
    if (idAbove(page.from, this.#window.cursor)) {
      void this.#sync();
      return;
    }
    if (this.#window.extend(page.signals, page.to)) this.#notify();
    if (page.ended) {
      this.#ended = true;
      this.#notify();
      // Nothing more to poll; subscribers still read the window to its end.
      this.#halt(true);
    }
  }

  /**
   * Reads the stored window: extends this one when they overlap, or takes it in place of this
   * one when it is empty or older than the stored one starts (subscribers left behind by the
   * change catch up on their own). One read at a time; a request during one reads again after.
   */
  #sync(): Promise<void> {
    const link = this.#link;
    // Polling on its own, it has nothing to read but its own window.
    if (link === undefined || !this.#shared()) return Promise.resolve();
    if (this.#syncing !== undefined) {
      this.#syncAgain = true;
      return this.#syncing;
    }
    this.#syncing = (async () => {
      try {
        do {
          this.#syncAgain = false;
          const stored = await link.read(this.#window.empty ? FROM_START : this.#window.cursor);
          if (this.#stopped || stored === undefined) return;
          this.#merge(stored.window, stored.signals);
        } while (this.#syncAgain && !this.#stopped);
      } catch (error) {
        this.#busFailed(error);
      } finally {
        this.#syncing = undefined;
      }
    })();
    return this.#syncing;
  }

  #merge(window: SignalWindow, signals: RealtimeSignal[]): void {
    if (this.#window.empty || idAbove(window.historyFrom, this.#window.cursor)) {
      this.#window.replace(window, signals);
      this.#notify();
    } else if (idAbove(window.cursor, this.#window.cursor) && this.#window.extend(signals, window.cursor)) {
      this.#notify();
    }
  }

  #busFailed(error: unknown): void {
    // Redis unreachable: logged once for the whole outage (redis-health.ts).
    if (this.#health?.failed(error) === true) return;
    this.logger.warn(
      {
        event: 'live_bus_failed',
        feed: 'signals',
        err: error instanceof Error ? error.message : String(error),
      },
      'live feed bus (Redis) failed; retrying at the next tick',
    );
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
  }

  #notify(): void {
    for (const subscriber of this.#subscribers) subscriber.notify();
  }
}
