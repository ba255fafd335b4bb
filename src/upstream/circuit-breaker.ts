import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';
import { circuitOpen, ErrorCode, GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';

export interface BreakerSettings {
  /** The breaker opens when at least this share of the calls in the window failed… */
  errorPercent: number;
  /** …and the window holds at least this many calls. */
  minCalls: number;
  windowMs: number;
  /** How long it stays open before a single probe call may pass. */
  resetMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Only failures of the upstream itself count; a caller's bad key or rate limit does not. */
const UPSTREAM_FAULTS: ReadonlySet<string> = new Set([
  ErrorCode.UPSTREAM_UNAVAILABLE,
  ErrorCode.UPSTREAM_TIMEOUT,
]);

/** opossum's rolling window is this many buckets of `windowMs / WINDOW_BUCKETS` each. */
const WINDOW_BUCKETS = 10;

/**
 * Turns opossum's window as calls come and go instead of on its once-a-second interval: in a
 * process that otherwise sleeps between requests, that interval stalled the event loop 2-5 ms
 * every second, and the stalls were the worst latencies at a moderate rate. Before a call and as
 * it settles (before opossum counts it), every bucket that has ended since the last turn is
 * turned, at most a whole window: the counts are those a timer would have kept.
 */
class WindowTurner extends EventEmitter<{ rotate: [] }> {
  readonly #bucketMs: number;
  #turnedAt = performance.now();

  constructor(windowMs: number) {
    super();
    this.#bucketMs = windowMs / WINDOW_BUCKETS;
  }

  catchUp(): void {
    const ended = Math.floor((performance.now() - this.#turnedAt) / this.#bucketMs);
    if (ended === 0) return;
    this.#turnedAt += ended * this.#bucketMs;
    for (let i = Math.min(ended, WINDOW_BUCKETS); i > 0; i--) this.emit('rotate');
  }
}

/**
 * One circuit breaker per upstream (opossum). While open it answers UPSTREAM_UNAVAILABLE with
 * `circuitOpen: true` at once; after `resetMs` one probe call passes and its outcome closes or
 * reopens the circuit.
 */
export class UpstreamCircuitBreaker {
  readonly #breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  readonly #resetSeconds: number;
  readonly #window: WindowTurner;

  constructor(settings: BreakerSettings, logger: Logger) {
    this.#resetSeconds = Math.ceil(settings.resetMs / 1000);
    const window = (this.#window = new WindowTurner(settings.windowMs));
    const settled = () => window.catchUp();
    this.#breaker = new CircuitBreaker((call: () => Promise<unknown>) => call().finally(settled), {
      timeout: false, // the client's own deadline bounds every call
      errorThresholdPercentage: settings.errorPercent,
      volumeThreshold: settings.minCalls,
      rollingCountTimeout: settings.windowMs,
      rollingCountBuckets: WINDOW_BUCKETS,
      rotateBucketController: window,
      // Only failure counts decide; latency percentiles would be sorted every bucket for nobody.
      rollingPercentilesEnabled: false,
      // Nobody listens to 'snapshot', and its interval stalled the loop like the window's did.
      enableSnapshots: false,
      resetTimeout: settings.resetMs,
      errorFilter: (error: unknown) => !(error instanceof GatewayError && UPSTREAM_FAULTS.has(error.code)),
    });
    this.#breaker.on('open', () =>
      logger.warn({ event: 'circuit_open' }, 'AgentMC circuit opened: failing fast until a probe succeeds'),
    );
    this.#breaker.on('halfOpen', () =>
      logger.info({ event: 'circuit_half_open' }, 'AgentMC circuit probing'),
    );
    this.#breaker.on('close', () => logger.info({ event: 'circuit_closed' }, 'AgentMC circuit closed'));
  }

  get state(): CircuitState {
    if (this.#breaker.opened) return 'open';
    return this.#breaker.halfOpen ? 'half-open' : 'closed';
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    this.#window.catchUp();
    try {
      return (await this.#breaker.fire(call)) as T;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EOPENBREAKER') throw circuitOpen(this.#resetSeconds);
      throw error;
    }
  }

  shutdown(): void {
    this.#breaker.shutdown();
  }
}
