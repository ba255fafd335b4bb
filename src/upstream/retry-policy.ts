import type { CallAbort } from './call-abort.js';
import { parseRetryAfter } from './retry-after.js';

export interface RetrySettings {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Upper bound of the first backoff; it doubles with each retry, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Retry only failures that prove the request was never sent (a refused or unreachable
   * connection), and no answer at all: what a mutation, which must reach AgentMC at most once,
   * may still retry.
   */
  unsentOnly?: boolean;
}

/** Connect failures: the request never left, so even a mutation may be sent again. */
export const RETRYABLE_UNSENT_CODES = [
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
] as const;
const UNSENT: ReadonlySet<string> = new Set(RETRYABLE_UNSENT_CODES);

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
  error: { statusCode?: number; code?: string; headers?: Record<string, unknown> },
  attemptsMade: number,
  settings: RetrySettings,
  random: () => number = Math.random,
): number | undefined {
  if (attemptsMade >= settings.attempts) return undefined;
  if (settings.unsentOnly && (error.statusCode !== undefined || !UNSENT.has(error.code ?? '')))
    return undefined;
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
  /** Told of every retry about to be made, with its reason: an HTTP status or an error code. */
  onRetry?: (reason: string) => void;
}

/** What failed: an answer with a status (and its headers) or an error with a code. */
export type AttemptFailure =
  | { statusCode: number; headers: Record<string, unknown> }
  | (Error & { code?: string; statusCode?: undefined; headers?: undefined });

/**
 * After a failed attempt: how long to wait before the next one, or undefined to surface the
 * failure, because the policy refuses, the wait would not fit before the deadline, or the call
 * was aborted. A retry it allows is reported to `onRetry`.
 */
export function retryDelay(
  failure: AttemptFailure,
  attemptsMade: number,
  scope: RetryScope,
): number | undefined {
  const delay = delayBeforeRetry(failure, attemptsMade, scope.settings);
  if (delay === undefined || scope.signal.aborted || Date.now() + delay + MIN_ATTEMPT_MS > scope.deadline) {
    return undefined;
  }
  scope.onRetry?.(String(failure.statusCode ?? failure.code));
  return delay;
}

/** Waits `delayMs`; resolves false at once if `signal` aborts first (or already has). */
export function pauseBeforeRetry(delayMs: number, signal: CallAbort): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.off('abort', onAbort);
      resolve(true);
    }, delayMs);
    signal.once('abort', onAbort);
  });
}
