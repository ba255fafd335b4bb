import type { RetryHandler } from 'undici';
import type { CallAbort } from './call-abort.js';
import { parseRetryAfter } from './retry-after.js';

export interface RetrySettings {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Upper bound of the first backoff; it doubles with each retry, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Answers that say "try again": a gateway in front of AgentMC failing, or AgentMC overloaded. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);
/** Connect errors and resets (the keep-alive race among them); never timeouts of a live request. */
const RETRYABLE_ERRORS: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** A retry that would leave less than this before the deadline is not worth starting. */
const MIN_ATTEMPT_MS = 50;

/**
 * How long to wait before the next attempt, or undefined when the failure must not be retried.
 * `Retry-After` on 429/503 is obeyed exactly (never retried sooner); a 429 without it is not
 * retried at all; other retries use full-jitter exponential backoff.
 */
export function delayBeforeRetry(
  error: Error & { statusCode?: number; code?: string; headers?: Record<string, unknown> },
  attemptsMade: number,
  settings: RetrySettings,
  random: () => number = Math.random,
): number | undefined {
  if (attemptsMade >= settings.attempts) return undefined;
  const status = error.statusCode;
  if (status !== undefined) {
    const header = error.headers?.['retry-after'];
    const retryAfter = parseRetryAfter(typeof header === 'string' ? header : undefined);
    if ((status === 429 || status === 503) && retryAfter !== undefined) return retryAfter * 1000;
    if (!RETRYABLE_STATUSES.has(status)) return undefined;
  } else if (error.code === undefined || !RETRYABLE_ERRORS.has(error.code)) {
    return undefined;
  }
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attemptsMade - 1));
  return Math.floor(random() * ceiling);
}

export interface RetryScope {
  settings: RetrySettings;
  /** Epoch milliseconds after which no attempt may start. */
  deadline: number;
  /** Aborts a wait between attempts: the deadline passed or the client went away. */
  signal: CallAbort;
  /** True once the response was handed to us: a body already being read is never retried. */
  responseStarted: () => boolean;
  /** Told of every retry about to be made, with its reason: an HTTP status or an error code. */
  onRetry?: (reason: string) => void;
}

/**
 * The decision undici's retry interceptor asks for after each failed attempt: retry (after a
 * wait) or surface the failure. A wait that would not fit before the deadline is not started.
 */
export function retryCallback(scope: RetryScope): RetryHandler.RetryCallback {
  return (error, { state }, done) => {
    const delay = delayBeforeRetry(error, state.counter, scope.settings);
    if (
      delay === undefined ||
      scope.responseStarted() ||
      scope.signal.aborted ||
      Date.now() + delay + MIN_ATTEMPT_MS > scope.deadline
    ) {
      done(error);
      return;
    }
    scope.onRetry?.(
      String((error as { statusCode?: number }).statusCode ?? (error as { code?: string }).code),
    );
    const onAbort = () => {
      clearTimeout(timer);
      done(error);
    };
    const timer = setTimeout(() => {
      scope.signal.off('abort', onAbort);
      done(scope.signal.aborted ? error : null);
    }, delay);
    scope.signal.once('abort', onAbort);
  };
}
