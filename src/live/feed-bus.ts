import type { BusMessage, FeedSnapshot } from './feed-events.js';

/**
 * Shares pollers across gateway replicas (see redis-feed-bus.ts): per feed, one replica holds a
 * lock and polls; every replica hears what it publishes. Without a bus, pollers are in-process.
 */
export interface FeedBus {
  /** Whether the bus can be used now; while it cannot, pollers poll for their own subscribers. */
  readonly health: BusHealth;
  /**
   * Joins feed `feedId` (`<key digest>:<limit>`, never the key itself); `deliver` receives what
   * the polling replica publishes, except what this replica published itself.
   */
  join(feedId: string, deliver: (message: BusMessage) => void): FeedLink;
  /** Releases the connections, after the commands already sent. */
  close(): Promise<void>;
}

export interface FeedLink {
  /**
   * Starts hearing the feed; resolves once subscribed, with the last list the polling replica
   * stored (what a late joiner receives at once). Called again after a failure.
   */
  listen(): Promise<FeedSnapshot | undefined>;
  /**
   * Takes the poll lock, or renews it when this replica holds it. `held`: poll now. `snapshot`:
   * the stored list, so a replica taking over diffs against what subscribers last received.
   * `refresh` (asked by a replica rejoining after an outage): when not held, asks the holder to
   * publish its next poll's list even if unchanged. `refresh` in the answer: the holder was asked.
   */
  claim(options?: {
    refresh?: boolean;
  }): Promise<{ held: boolean; snapshot: FeedSnapshot | undefined; refresh: boolean }>;
  /**
   * Publishes (and, for an update, stores) `message` if this replica still holds the lock, and
   * keeps the lock `holdMs` longer; `message` undefined only renews. Resolves with the update's
   * seq (0 for errors and renewals), or undefined when the lock was lost: the result is dropped.
   */
  commit(message: BusMessage | undefined, holdMs: number): Promise<number | undefined>;
  /**
   * Stops hearing the feed. `release`: give up the lock if held, so another replica takes over
   * at its next tick; `forget`: also drop the stored list (the key is no longer accepted).
   */
  leave(options: { release: boolean; forget: boolean }): void;
}

/** What a feed's poller asks of the bus before it uses it. */
export interface BusHealth {
  /** Redis answers: the feeds share their pollers. False while they poll in-process. */
  readonly available: boolean;
  /**
   * Moves on at each (re)connection: a poller that joined its feed in an older epoch joins it
   * again (listens, claims, and reconciles what its subscribers already received).
   */
  readonly epoch: number;
  /** Resolves once the first connection succeeded or failed: pollers wait for it at start. */
  readonly settled: Promise<void>;
  /**
   * Reports a failed command. True when it failed for want of Redis: the outage is logged once
   * (not this failure) and the caller goes on in-process. False for any other failure, which
   * the caller reports itself.
   */
  failed(error: unknown): boolean;
}
