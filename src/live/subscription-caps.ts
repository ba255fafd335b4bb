import { tooManySubscriptions } from '../errors.js';

export interface SubscriptionLimits {
  /** Subscriptions open at once, in all and per API key. */
  maxSubscriptions: number;
  maxSubscriptionsPerKey: number;
}

/**
 * The one budget of live subscriptions (LIVE_MAX_SUBSCRIPTIONS, LIVE_MAX_SUBSCRIPTIONS_PER_KEY),
 * shared by every kind of feed: `requestedSessionsChanged` and `realtimeSignalAdded` count together.
 */
export class SubscriptionCaps {
  readonly #perKey = new Map<string, number>();
  #total = 0;

  constructor(private readonly limits: SubscriptionLimits) {}

  /** Subscriptions open now; for tests and metrics. */
  get total(): number {
    return this.#total;
  }

  /**
   * Counts one more subscription of the key `digest`, or throws TOO_MANY_SUBSCRIPTIONS past the
   * caps. Returns what gives it back (once, however often it is called).
   */
  take(digest: string): () => void {
    const ofKey = this.#perKey.get(digest) ?? 0;
    if (this.#total >= this.limits.maxSubscriptions || ofKey >= this.limits.maxSubscriptionsPerKey) {
      throw tooManySubscriptions(ofKey >= this.limits.maxSubscriptionsPerKey ? 'key' : 'gateway');
    }
    this.#total += 1;
    this.#perKey.set(digest, ofKey + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total -= 1;
      const left = (this.#perKey.get(digest) ?? 1) - 1;
      if (left === 0) this.#perKey.delete(digest);
      else this.#perKey.set(digest, left);
    };
  }
}
