import { compareIds, idAbove, maxId } from '../upstream/decimal-ids.js';
import type { DecimalId, RealtimeSignal } from '../upstream/models.js';
import type { FeedFailure } from './feed-events.js';
import type { SignalWindow } from './signal-bus.js';
import { SIGNAL_HISTORY } from './signal-pages.js';

/* The reading side of a signals feed: the window its subscribers read, and each subscriber. */

/** Every signal of (historyFrom, cursor], in id order: the last `limit` the feed saw. */
export class SignalHistory implements SignalWindow {
  historyFrom: DecimalId;
  cursor: DecimalId;
  #rows: RealtimeSignal[] = [];

  constructor(
    /** Where it opens (`0`: before the first signal). */
    start: DecimalId,
    private readonly limit = SIGNAL_HISTORY,
  ) {
    this.historyFrom = start;
    this.cursor = start;
  }

  get empty(): boolean {
    return this.#rows.length === 0;
  }

  /**
   * The signals above `lastId`, in id order; undefined when `lastId` is older than the window
   * (the subscriber pages the API itself until it is inside).
   */
  after(lastId: DecimalId): RealtimeSignal[] | undefined {
    if (compareIds(lastId, this.historyFrom) < 0) return undefined;
    let low = 0;
    let high = this.#rows.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const row = this.#rows[middle];
      if (row !== undefined && !idAbove(row.id, lastId)) low = middle + 1;
      else high = middle;
    }
    return this.#rows.slice(low);
  }

  /**
   * Appends a page's signals above the cursor and moves the cursor to `to` (the page starts at
   * or below the cursor, so nothing between is missing); the oldest beyond `limit` are dropped.
   * False when nothing changed.
   */
  extend(signals: readonly RealtimeSignal[], to: DecimalId): boolean {
    const fresh = signals.filter((row) => idAbove(row.id, this.cursor));
    if (fresh.length === 0 && !idAbove(to, this.cursor)) return false;
    this.#rows.push(...fresh);
    const last = fresh.at(-1)?.id;
    this.cursor = maxId(maxId(this.cursor, to), last ?? to);
    const excess = this.#rows.length - this.limit;
    if (excess > 0) {
      this.historyFrom = this.#rows[excess - 1]?.id ?? this.historyFrom;
      this.#rows.splice(0, excess);
    }
    return true;
  }

  /** Takes `window` and its signals in place of this one. */
  replace(window: SignalWindow, signals: readonly RealtimeSignal[]): void {
    this.historyFrom = window.historyFrom;
    this.cursor = window.cursor;
    this.#rows = signals.filter(
      (row) => idAbove(row.id, window.historyFrom) && !idAbove(row.id, window.cursor),
    );
  }
}

/** One subscriber of a feed: how far it got, and the failures it has yet to receive. */
export class SignalSubscriber {
  /** The id of the last signal it received (or its `afterId`): it receives only higher ones. */
  lastId: DecimalId;
  readonly notices: FeedFailure[] = [];
  /** Resolves when a final failure is queued: the stream ends, whatever it was waiting for. */
  readonly closing: Promise<void>;
  #close!: () => void;
  #wake: (() => void) | undefined;
  #woken = false;

  constructor(afterId: DecimalId) {
    this.lastId = afterId;
    this.closing = new Promise((resolve) => (this.#close = resolve));
  }

  /** Resolves at the feed's next change, or at once when one came since the last call. */
  changed(): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => (this.#wake = resolve));
  }

  notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    if (wake === undefined) this.#woken = true;
    else wake();
  }

  fail(failure: FeedFailure): void {
    this.notices.push(failure);
    if (failure.final) this.#close();
    this.notify();
  }
}
