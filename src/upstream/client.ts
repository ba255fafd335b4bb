import { Pool, type Dispatcher } from 'undici';
import type { UpstreamSettings } from '../config.js';
import { credentialDigest, credentialFingerprint } from '../credentials.js';
import {
  badUpstreamResponse,
  errorFromUpstreamResponse,
  GatewayError,
  requestCancelled,
  upstreamTimeout,
  upstreamUnreachable,
} from '../errors.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics.js';
import type { CallAbort } from './call-abort.js';
import { UpstreamCircuitBreaker, type CircuitState } from './circuit-breaker.js';
import { InflightShare } from './inflight.js';
import {
  parseAgentIdentity,
  parseRequestedSessions,
  readErrorEnvelope,
  type AgentIdentity,
  type ParseResult,
  type RealtimeSession,
} from './payloads.js';
import { parseRetryAfter } from './retry-after.js';
import { pauseBeforeRetry, retryDelay, type RetryScope } from './retry-policy.js';

/** The range the API documents for `limit` on the requested-sessions list. */
export const REQUESTED_SESSIONS_LIMIT = { min: 1, max: 100, default: 20 } as const;

const REQUESTED_SESSIONS_PATH = '/agents/realtime/sessions/requested';
const INSTRUCTIONS_PATH = '/agents/instructions';

/** Who is calling, for one upstream call: their key, their disconnect signal, their request id. */
export interface UpstreamCaller {
  apiKey: string;
  /**
   * The signal that aborts when the caller goes away. A getter: it is read only by calls still
   * waiting after a grace period (see `InflightShare`), as most calls end before it matters.
   */
  signal?: () => AbortSignal | undefined;
  /** Sent upstream as `X-Request-Id` and logged, so one request can be followed across both. */
  requestId?: string;
}

/** One endpoint, named by its OpenAPI operationId (the `route` label of the metrics). */
interface Route<T> {
  name: 'listAgentRealtimeRequestedSessions' | 'getAgentInstructions';
  pathAndQuery: string;
  parse: (json: unknown) => ParseResult<T>;
}

export interface AgentMcClientOptions {
  /** Base URL including its path prefix, e.g. `https://agentmc.ai/api/v1`. */
  baseUrl: URL;
  settings: UpstreamSettings;
  userAgent: string;
  logger: Logger;
  metrics: GatewayMetrics;
}

/** Distinct unknown statuses are logged once each; past this many we stop remembering. */
const MAX_REMEMBERED_UNKNOWN_STATUSES = 50;

/**
 * The AgentMC REST client: one keep-alive undici pool for the upstream origin, built once per
 * server and closed on shutdown, behind our retry policy and one circuit breaker.
 * Every call has one deadline for all its attempts. It never follows redirects (a followed
 * redirect would carry the key to another host) and turns every outcome into data or one
 * `GatewayError`.
 */
export class AgentMcClient {
  readonly #pool: Pool;
  readonly #breaker: UpstreamCircuitBreaker;
  readonly #inflight = new InflightShare();
  readonly #basePath: string;
  readonly #options: AgentMcClientOptions;
  readonly #unknownStatusesSeen = new Set<string>();
  /** Epoch milliseconds of the last HTTP answer below 500, for readiness. */
  #lastHealthyAnswerAt = 0;

  constructor(options: AgentMcClientOptions) {
    const { settings } = options;
    this.#options = options;
    // `new URL('/agents/…', base)` would drop the `/api/v1` prefix; append to the path instead.
    this.#basePath = options.baseUrl.pathname.replace(/\/+$/, '');
    this.#pool = new Pool(options.baseUrl.origin, {
      connections: settings.connections,
      connect: { timeout: settings.timeouts.connectMs },
      headersTimeout: settings.timeouts.headersMs,
      bodyTimeout: settings.timeouts.bodyMs,
      // Close idle sockets before AgentMC does, so a reused socket is rarely a dead one.
      keepAliveTimeout: settings.keepAliveMs,
      keepAliveMaxTimeout: settings.keepAliveMs,
    });
    this.#breaker = new UpstreamCircuitBreaker(settings.breaker, options.logger);
  }

  /** `GET /agents/realtime/sessions/requested?limit=N` with the caller's key. */
  async listRequestedSessions(caller: UpstreamCaller, limit: number): Promise<RealtimeSession[]> {
    const sessions = await this.#get(caller, {
      name: 'listAgentRealtimeRequestedSessions',
      pathAndQuery: `${REQUESTED_SESSIONS_PATH}?limit=${limit}`,
      parse: parseRequestedSessions,
    });
    this.#warnAboutUnknownStatuses(sessions);
    return sessions;
  }

  /** The agent the key authenticates, read from `GET /agents/instructions`. */
  getAgentIdentity(caller: UpstreamCaller): Promise<AgentIdentity> {
    return this.#get(caller, {
      name: 'getAgentInstructions',
      pathAndQuery: INSTRUCTIONS_PATH,
      parse: parseAgentIdentity,
    });
  }

  get circuitState(): CircuitState {
    return this.#breaker.state;
  }

  /** When AgentMC last answered with a status below 500 (0: never). */
  get lastHealthyAnswerAt(): number {
    return this.#lastHealthyAnswerAt;
  }

  /**
   * Asks AgentMC, without any key, whether it answers at all: a 401 proves it is up. It spends
   * no caller's rate limit and bypasses the breaker, so it can tell when AgentMC is back.
   */
  async probe(): Promise<boolean> {
    try {
      const { statusCode, body } = await this.#pool.request({
        method: 'GET',
        path: `${this.#basePath}${REQUESTED_SESSIONS_PATH}?limit=1`,
        headers: { accept: 'application/json', 'user-agent': this.#options.userAgent },
        signal: AbortSignal.timeout(this.#options.settings.timeouts.totalMs),
      });
      discard(body);
      if (statusCode < 500) this.#lastHealthyAnswerAt = Date.now();
      return statusCode < 500;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.#breaker.shutdown();
    await this.#pool.close();
  }

  /**
   * One logical GET: shared with concurrent identical calls of the same credential, then the
   * breaker, then attempts within one deadline, then validation.
   */
  #get<T>(caller: UpstreamCaller, route: Route<T>): Promise<T> {
    const shareKey = `${credentialDigest(caller.apiKey)} ${route.pathAndQuery}`;
    if (this.#inflight.has(shareKey)) this.#options.metrics.upstreamShared.inc({ route: route.name });
    return this.#inflight.run(
      shareKey,
      async (abort) => {
        const started = performance.now();
        const record = (status: string) => {
          this.#options.metrics.countUpstreamCall(route.name, status, (performance.now() - started) / 1000);
        };
        try {
          const value = await this.#breaker.run(() => this.#fetchWithDeadline(caller, route, abort));
          record('200');
          return value;
        } catch (error) {
          record(statusLabel(error));
          if (error instanceof GatewayError) this.#logFailure(error, caller);
          throw error;
        }
      },
      caller.signal,
    );
  }

  /** `signal` is the shared call's: the deadline aborts it, and so does the last caller leaving. */
  async #fetchWithDeadline<T>(caller: UpstreamCaller, route: Route<T>, signal: CallAbort): Promise<T> {
    const { timeouts, retry } = this.#options.settings;
    // undici's bodyTimeout is a gap timer: a body trickling a byte at a time would defeat it.
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
      settings: retry,
      deadline: Date.now() + timeouts.totalMs,
      signal,
      onRetry: (reason) => this.#options.metrics.upstreamRetries.inc({ route: route.name, reason }),
    };
    const request: Dispatcher.RequestOptions = {
      method: 'GET',
      path: `${this.#basePath}${route.pathAndQuery}`,
      headers: this.#headersFor(caller),
      signal,
    };

    try {
      // Retries are ours, not undici's retry interceptor: on Node 20 its per-request handlers
      // doubled what the old generation filled with under load (and cost a tenth of throughput).
      for (let attempt = 1; ; attempt++) {
        let response: Dispatcher.ResponseData;
        try {
          response = await raceAgainst(this.#pool.request(request), signal);
        } catch (error) {
          const delay = retryDelay(error as Error, attempt, retryScope);
          if (delay !== undefined && (await pauseBeforeRetry(delay, signal))) continue;
          throw failure(error);
        }
        if (response.statusCode < 500) this.#lastHealthyAnswerAt = Date.now();
        const delay = response.statusCode >= 300 ? retryDelay(response, attempt, retryScope) : undefined;
        if (delay !== undefined) {
          discard(response.body);
          if (await pauseBeforeRetry(delay, signal)) continue;
          throw failure(signal.reason);
        }

        try {
          return await this.#interpret(response, caller.apiKey, route.parse);
        } catch (error) {
          if (error instanceof GatewayError) throw error;
          throw failure(error);
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  #headersFor({ apiKey, requestId }: UpstreamCaller): Record<string, string> {
    const headers: Record<string, string> = {
      'x-api-key': apiKey,
      accept: 'application/json',
      'user-agent': this.#options.userAgent,
    };
    if (requestId !== undefined) headers['x-request-id'] = requestId;
    return headers;
  }

  /** Classifies by status first, then reads the body (through the byte cap) and validates it. */
  async #interpret<T>(
    { statusCode: status, headers, body }: Dispatcher.ResponseData,
    apiKey: string,
    parse: (json: unknown) => ParseResult<T>,
  ): Promise<T> {
    const requestId = safeRequestId(headers['x-request-id']);

    if (status >= 400) {
      const text = await this.#readBody(body, status).catch(() => undefined);
      const json = text !== undefined && isJson(headers) ? parseJson(text) : undefined;
      const envelope = readErrorEnvelope(json, apiKey);
      throw errorFromUpstreamResponse({
        status,
        code: envelope.code,
        message: envelope.message,
        fields: envelope.fields,
        requestId,
        retryAfter: parseRetryAfter(firstHeader(headers['retry-after'])) ?? envelope.retryAfter,
      });
    }
    if (status !== 200) {
      discard(body);
      throw badUpstreamResponse(status < 300 ? 'unexpected status' : 'redirect', status, { requestId });
    }
    if (!isJson(headers)) {
      discard(body);
      throw badUpstreamResponse('unexpected content type', status, { requestId });
    }
    const declaredLength = Number(firstHeader(headers['content-length']));
    if (declaredLength > this.#options.settings.maxBodyBytes) {
      body.destroy();
      throw badUpstreamResponse('body too large', status, { requestId });
    }
    // A declared length is already within the cap, and undici holds the body to it: read it in one go.
    const text = Number.isFinite(declaredLength) ? await body.text() : await this.#readBody(body, status);
    if (text.length === 0) throw badUpstreamResponse('empty body', status, { requestId });
    const json = parseJson(text);
    if (json === undefined) throw badUpstreamResponse('not JSON', status, { requestId });
    const payload = parse(json);
    if (!payload.ok) {
      throw badUpstreamResponse('invalid shape', status, { path: payload.path, requestId });
    }
    return payload.value;
  }

  /** Reads the body through a byte cap; a longer body is destroyed, never buffered whole. */
  async #readBody(body: Dispatcher.ResponseData['body'], status: number): Promise<string> {
    const cap = this.#options.settings.maxBodyBytes;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > cap) {
        body.destroy();
        throw badUpstreamResponse('body too large', status);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }

  #transportError(error: unknown): unknown {
    const { timeouts } = this.#options.settings;
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

  #logFailure(error: GatewayError, { apiKey, requestId }: UpstreamCaller): void {
    if (error.code === 'CANCELLED') return;
    const cause = (error.originalError as { code?: unknown } | undefined)?.code;
    this.#options.logger.warn(
      {
        event: 'upstream_failure',
        code: error.code,
        status: error.extensions.upstream?.status,
        cause: typeof cause === 'string' ? cause : undefined,
        circuitOpen: error.extensions.circuitOpen,
        keyHash: credentialFingerprint(apiKey),
        requestId,
      },
      `AgentMC request failed: ${error.code}`,
    );
  }

  #warnAboutUnknownStatuses(sessions: readonly RealtimeSession[]): void {
    for (const session of sessions) {
      if (session.status !== 'unknown') continue;
      const seen = this.#unknownStatusesSeen;
      if (seen.has(session.upstreamStatus) || seen.size >= MAX_REMEMBERED_UNKNOWN_STATUSES) continue;
      seen.add(session.upstreamStatus);
      this.#options.logger.warn(
        { event: 'unknown_session_status', upstreamStatus: session.upstreamStatus },
        `AgentMC sent realtime session status ${JSON.stringify(session.upstreamStatus)}, ` +
          'which this gateway does not know; it is served as UNKNOWN (see upstreamStatus).',
      );
    }
  }
}

/** The `status` label of a finished call: the upstream's HTTP status, or what happened instead. */
function statusLabel(error: unknown): string {
  if (!(error instanceof GatewayError)) return 'error';
  const status = error.extensions.upstream?.status;
  if (status !== undefined) return String(status);
  if (error.extensions.circuitOpen) return 'circuit_open';
  switch (error.code) {
    case 'UPSTREAM_TIMEOUT':
      return 'timeout';
    case 'CANCELLED':
      return 'cancelled';
    case 'UPSTREAM_BAD_RESPONSE':
      return 'bad_response';
    default:
      return 'unreachable';
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

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Only a short token: the upstream's request id is the one header we relay besides Retry-After. */
function safeRequestId(value: string | string[] | undefined): string | undefined {
  const id = firstHeader(value);
  return id !== undefined && /^[\w.:-]{1,128}$/.test(id) ? id : undefined;
}

function isJson(headers: Dispatcher.ResponseData['headers']): boolean {
  const mediaType = firstHeader(headers['content-type'])?.split(';')[0]?.trim().toLowerCase();
  return (
    mediaType !== undefined &&
    (mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType))
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Frees the connection without reading a body we will not use. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.dump().catch(() => undefined);
}
