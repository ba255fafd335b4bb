import { credentialDigest, fingerprintOfDigest, type Credential } from './credentials.js';
import { malformedApiKey, missingApiKey } from './errors.js';

/**
 * Who is calling, resolved once per request and used by queries and subscriptions alike: all
 * that the upstream layer knows of a caller (never their headers or how the key was sent).
 */
export interface Caller {
  /** The key, sent upstream in `X-Api-Key` and nowhere else. */
  readonly apiKey: string;
  /** SHA-256 of the key (base64url): what shares, feeds and counts are keyed by, never the key. */
  readonly digest: string;
  /** What logs name the caller by (`keyHash`): the first 12 characters of the digest. */
  readonly fingerprint: string;
  /** Sent upstream as `X-Request-Id` and logged, so one request can be followed across both. */
  readonly requestId: string | undefined;
  /**
   * The signal that aborts when the caller goes away. A getter: it is read only by calls still
   * waiting after a grace period (see `InflightShare`), as most calls end before it matters.
   */
  readonly signal: (() => AbortSignal | undefined) | undefined;
}

/** A class, so every caller shares one hidden class (see `RequestLoaders`). */
class KeyCaller implements Caller {
  constructor(
    readonly apiKey: string,
    readonly digest: string,
    readonly requestId: string | undefined,
    readonly signal: (() => AbortSignal | undefined) | undefined,
  ) {}

  /** Made when a log line needs it: most requests never log their caller. */
  get fingerprint(): string {
    return fingerprintOfDigest(this.digest);
  }
}

/** The caller presenting `apiKey`; the key is hashed here. */
export function callerWithKey(
  apiKey: string,
  requestId: string | undefined,
  signal?: () => AbortSignal | undefined,
): Caller {
  return new KeyCaller(apiKey, credentialDigest(apiKey), requestId, signal);
}

/** The same caller with another disconnect signal (none: nobody waits on it); never rehashed. */
export function callerWithSignal(
  caller: Caller,
  signal: (() => AbortSignal | undefined) | undefined,
): Caller {
  return new KeyCaller(caller.apiKey, caller.digest, caller.requestId, signal);
}

/** What the loaders ask for a request's caller, never seeing how its key was presented. */
export interface CallerSource {
  /** The caller; throws the GatewayError that explains why there is none. */
  caller(): Caller;
}

/**
 * A request's credential as it presented it, turned into its caller where a field first needs
 * the key: a request that never reaches the upstream (`_service`, `__typename`) hashes nothing,
 * and a missing or malformed key is refused only by the fields that need one.
 */
export class RequestCredential implements CallerSource {
  readonly #credential: Credential;
  readonly #requestId: string | undefined;
  readonly #signal: () => AbortSignal | undefined;
  #caller: Caller | undefined;

  constructor(credential: Credential, requestId: string | undefined, signal: () => AbortSignal | undefined) {
    this.#credential = credential;
    this.#requestId = requestId;
    this.#signal = signal;
  }

  /** The caller, built on the first call; UNAUTHENTICATED when the key is missing or malformed. */
  caller(): Caller {
    if (this.#caller !== undefined) return this.#caller;
    const credential = this.#credential;
    switch (credential.kind) {
      case 'key':
        return (this.#caller = callerWithKey(credential.apiKey, this.#requestId, this.#signal));
      case 'missing':
        throw missingApiKey();
      case 'malformed':
        throw malformedApiKey(credential.header);
    }
  }
}
