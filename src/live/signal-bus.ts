import type { DecimalId, RealtimeSignal } from '../upstream/models.js';
import type { FeedFailure } from './feed-events.js';
import type { BusHealth } from './feed-bus.js';

/* What a signals feed (signals-feed.ts) sends, and how replicas share one (signal-redis-bus.ts). */

/** One answer of the signals list, as the polling replica saw it. */
export interface SignalPage {
  /** The cursor it was asked from (`after_id`; `0`: from the start, `after_id` omitted). */
  from: DecimalId;
  /** The cursor after it: the id of its last row, or `from` when it had none. */
  to: DecimalId;
  /** Its rows with an id above `from`, in id order. */
  signals: RealtimeSignal[];
  /** The session had ended (closed, failed, expired) and no full page was left: the feed's last page. */
  ended: boolean;
}

/**
 * A feed's window: it holds every signal with an id in (`historyFrom`, `cursor`] (the last few
 * hundred), and the next poll asks for the signals after `cursor`.
 */
export interface SignalWindow {
  /** Decimal ids, compared with `compareIds`. */
  cursor: DecimalId;
  historyFrom: DecimalId;
}

/** What a subscriber receives: a signal, or a failure (`final` ends the stream). */
export type SignalEvent = { kind: 'signal'; signal: RealtimeSignal } | FeedFailure;

/** What the polling replica tells the others: a page it committed, or a failed poll. */
export type SignalBusMessage = ({ kind: 'page' } & SignalPage) | FeedFailure;

/**
 * Shares signal pollers across gateway replicas: per feed, one replica holds a lock and polls;
 * the window (cursor and recent signals) is stored with the lock, so a replica taking over goes
 * on from the stored cursor, and one that missed a message reads what it missed.
 */
export interface SignalBus {
  /** Whether the bus can be used now; while it cannot, pollers poll for their own subscribers. */
  readonly health: BusHealth;
  /**
   * Joins feed `feedId` (`<key digest>:<agent or *>:<session id>`, never the key itself);
   * `deliver` receives what the polling replica publishes, except what this replica published.
   */
  join(feedId: string, deliver: (message: SignalBusMessage) => void): SignalLink;
}

export interface SignalLink {
  /** Starts hearing the feed; resolves once subscribed. Called again after a failure. */
  listen(): Promise<void>;
  /**
   * Takes the poll lock, or renews it when this replica holds it. `held`: poll now, after
   * `window.cursor` when there is a stored window. `window`: the stored one, if any.
   */
  claim(): Promise<{ held: boolean; window: SignalWindow | undefined }>;
  /**
   * The stored window and its signals with an id above `after` (all of them when `after` is
   * older than the window), read atomically; undefined when none is stored.
   */
  read(after: DecimalId): Promise<{ window: SignalWindow; signals: RealtimeSignal[] } | undefined>;
  /**
   * Publishes `message` if this replica still holds the lock, and keeps the lock `holdMs`
   * longer (`message` undefined only renews). A page is stored in the window with its
   * publication, in one step, and only if it starts at the stored cursor. `lost`: the lock is
   * another replica's; `stale`: the stored cursor moved on. Either way the result is dropped.
   */
  commit(message: SignalBusMessage | undefined, holdMs: number): Promise<'committed' | 'lost' | 'stale'>;
  /**
   * Stops hearing the feed. `release`: give up the lock if held; `forget`: also drop the stored
   * window (the session ended, or the key may no longer read it).
   */
  leave(options: { release: boolean; forget: boolean }): void;
}
