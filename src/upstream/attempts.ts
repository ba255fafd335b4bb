import type { Dispatcher } from 'undici';
import type { UpstreamSettings } from '../settings.js';
import { GatewayError, requestCancelled, upstreamTimeout, upstreamUnreachable } from '../errors.js';
import type { CallAbort } from './call-abort.js';
import { discard } from './read-response.js';
import { pauseBeforeRetry, retryDelay, type RetryScope, type RetrySettings } from './retry-policy.js';

/** What the loop tells its client about the attempts it makes. */
export interface AttemptHooks {
  /** An HTTP answer arrived, of any status (readiness counts those below 500). */
  answered(status: number): void;
  /** A retry of `route` is about to be made, for `reason`: an HTTP status or an error code. */
  retrying(route: string, reason: string): void;
}

/**
 * Every attempt of one upstream call, within its one deadline: the retry loop around the pool.
 * The deadline bounds the call as a whole (connecting, headers, the entire body and every
 * retry), because undici's bodyTimeout is a gap timer that a body trickling a byte at a time
 * would defeat. Retries are ours, not undici's retry interceptor: on Node 20 its per-request
 * handlers doubled what the old generation filled with under load (and cost a tenth of
 * throughput); `retry-policy.ts` decides which failures are retried, and when.
 */
export class DeadlineAttempts {
  readonly #dispatcher: Dispatcher;
  readonly #timeouts: UpstreamSettings['timeouts'];
  readonly #hooks: AttemptHooks;

  constructor(dispatcher: Dispatcher, timeouts: UpstreamSettings['timeouts'], hooks: AttemptHooks) {
    this.#dispatcher = dispatcher;
    this.#timeouts = timeouts;
    this.#hooks = hooks;
  }

  /**
   * Sends `request` (whose signal is `signal`, the call's: the deadline aborts it, and so does
   * the last caller leaving) until an answer is final or `retries` and the deadline allow no
   * more, then reads that answer with `read`. Every failure becomes one GatewayError, except a
   * bug of ours, which Yoga masks and logs.
   */
  async run<T>(
    request: Dispatcher.RequestOptions,
    signal: CallAbort,
    route: string,
    retries: RetrySettings,
    read: (response: Dispatcher.ResponseData) => Promise<T>,
  ): Promise<T> {
    const timeouts = this.#timeouts;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signal.abort();
    }, timeouts.totalMs);
    const failure = (error: unknown) =>
      timedOut
        ? upstreamTimeout(timeouts.totalMs, 'complete response', error)
        : signal.aborted
          ? requestCancelled(error)
          : this.#transportError(error);
    const retryScope: RetryScope = {
      settings: retries,
      deadline: Date.now() + timeouts.totalMs,
      signal,
      onRetry: (reason) => this.#hooks.retrying(route, reason),
    };

    try {
      for (let attempt = 1; ; attempt++) {
        let response: Dispatcher.ResponseData;
        try {
          response = await raceAgainst(this.#dispatcher.request(request), signal);
        } catch (error) {
          const delay = retryDelay(error as Error, attempt, retryScope);
          if (delay !== undefined && (await pauseBeforeRetry(delay, signal))) continue;
          throw failure(error);
        }
        this.#hooks.answered(response.statusCode);
        const delay = response.statusCode >= 300 ? retryDelay(response, attempt, retryScope) : undefined;
        if (delay !== undefined) {
          discard(response.body);
          if (await pauseBeforeRetry(delay, signal)) continue;
          throw failure(signal.reason);
        }

        try {
          return await read(response);
        } catch (error) {
          if (error instanceof GatewayError) throw error;
          // The answer broke off while its body was read (a reset after the headers): for a read,
          // the same as a reset before the answer, within the same deadline and attempts. (A
          // mutation's settings retry nothing that may have been sent.)
          const retry = retryDelay(error as Error, attempt, retryScope);
          if (retry !== undefined && (await pauseBeforeRetry(retry, signal))) continue;
          throw failure(error);
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  #transportError(error: unknown): unknown {
    const timeouts = this.#timeouts;
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return upstreamTimeout(timeouts.connectMs, 'connection', error);
    if (code === 'UND_ERR_HEADERS_TIMEOUT') {
      return upstreamTimeout(timeouts.headersMs, 'response headers', error);
    }
    if (code === 'UND_ERR_BODY_TIMEOUT') return upstreamTimeout(timeouts.bodyMs, 'response body data', error);
    // Refused, reset, DNS failure, closed socket.
    if (typeof code === 'string' && (code.startsWith('UND_ERR') || /^E[A-Z_]+$/.test(code))) {
      return upstreamUnreachable(error);
    }
    return error; // a bug of ours: Yoga masks and logs it
  }
}

/**
 * Settles with `pending` or rejects as soon as `signal` aborts, whichever is first. An abort that
 * lands while undici is between two attempts would otherwise wait for the next attempt's own
 * timeouts; a response that arrives after we gave up is drained.
 */
function raceAgainst(
  pending: Promise<Dispatcher.ResponseData>,
  signal: CallAbort,
): Promise<Dispatcher.ResponseData> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
      pending.then(
        ({ body }) => discard(body),
        () => undefined,
      );
    };
    if (signal.aborted) return onAbort();
    signal.once('abort', onAbort);
    pending.then(
      (response) => {
        signal.off('abort', onAbort);
        resolve(response);
      },
      (error: unknown) => {
        signal.off('abort', onAbort);
        reject(error);
      },
    );
  });
}
