import type { YogaLogger } from 'graphql-yoga';
import { Pool, type Dispatcher } from 'undici';
import {
  badUpstreamResponse,
  errorFromUpstreamResponse,
  GatewayError,
  upstreamTimeout,
  upstreamUnreachable,
} from '../errors.js';
import {
  parseAgentIdentity,
  parseRequestedSessions,
  readErrorEnvelope,
  type AgentIdentity,
  type ParseResult,
  type RealtimeSession,
} from './payloads.js';
import { parseRetryAfter } from './retry-after.js';

/** The range the API documents for `limit` on the requested-sessions list. */
export const REQUESTED_SESSIONS_LIMIT = { min: 1, max: 100, default: 20 } as const;

const REQUESTED_SESSIONS_PATH = '/agents/realtime/sessions/requested';
const INSTRUCTIONS_PATH = '/agents/instructions';

export interface UpstreamTimeouts {
  /** Time to open a TCP/TLS connection. */
  connectMs: number;
  /** Time from sending the request to the end of the response headers. */
  headersMs: number;
  /** Longest silence between two chunks of the response body. */
  bodyMs: number;
}

export interface AgentMcClientOptions {
  /** Base URL including its path prefix, e.g. `https://agentmc.ai/api/v1`. */
  baseUrl: URL;
  timeouts: UpstreamTimeouts;
  /** Bodies longer than this are abandoned unread, success and error bodies alike. */
  maxBodyBytes: number;
  userAgent: string;
  logger: YogaLogger;
}

/** Distinct unknown statuses are logged once each; past this many we stop remembering. */
const MAX_REMEMBERED_UNKNOWN_STATUSES = 50;

/**
 * The AgentMC REST client: one keep-alive undici pool for the upstream origin, built once per
 * server and closed on shutdown. It never follows redirects (a followed redirect would carry
 * the key to another host) and turns every outcome into data or one `GatewayError`.
 */
export class AgentMcClient {
  readonly #pool: Pool;
  readonly #basePath: string;
  readonly #options: AgentMcClientOptions;
  readonly #unknownStatusesSeen = new Set<string>();

  constructor(options: AgentMcClientOptions) {
    this.#options = options;
    // `new URL('/agents/…', base)` would drop the `/api/v1` prefix; append to the path instead.
    this.#basePath = options.baseUrl.pathname.replace(/\/+$/, '');
    this.#pool = new Pool(options.baseUrl.origin, {
      connect: { timeout: options.timeouts.connectMs },
      headersTimeout: options.timeouts.headersMs,
      bodyTimeout: options.timeouts.bodyMs,
    });
  }

  /** `GET /agents/realtime/sessions/requested?limit=N` with the caller's key. */
  async listRequestedSessions(
    apiKey: string,
    limit: number,
    signal?: AbortSignal,
  ): Promise<RealtimeSession[]> {
    const sessions = await this.#get(
      `${REQUESTED_SESSIONS_PATH}?limit=${limit}`,
      apiKey,
      signal,
      parseRequestedSessions,
    );
    this.#warnAboutUnknownStatuses(sessions);
    return sessions;
  }

  /** The agent the key authenticates, read from `GET /agents/instructions`. */
  getAgentIdentity(apiKey: string, signal?: AbortSignal): Promise<AgentIdentity> {
    return this.#get(INSTRUCTIONS_PATH, apiKey, signal, parseAgentIdentity);
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  /** One GET: every outcome becomes the parsed payload or one GatewayError. */
  async #get<T>(
    pathAndQuery: string,
    apiKey: string,
    signal: AbortSignal | undefined,
    parse: (json: unknown) => ParseResult<T>,
  ): Promise<T> {
    let response: Dispatcher.ResponseData;
    try {
      response = await this.#pool.request({
        method: 'GET',
        path: `${this.#basePath}${pathAndQuery}`,
        headers: {
          'x-api-key': apiKey,
          accept: 'application/json',
          'user-agent': this.#options.userAgent,
        },
        signal,
      });
    } catch (error) {
      throw this.#transportError(error);
    }

    const { statusCode: status, headers, body } = response;
    const requestId = safeRequestId(headers['x-request-id']);

    if (status >= 400) {
      const text = await this.#readBody(body).catch(() => undefined);
      const json = text !== undefined && isJson(headers) ? parseJson(text) : undefined;
      const envelope = readErrorEnvelope(json, apiKey);
      const error = errorFromUpstreamResponse({
        status,
        code: envelope.code,
        message: envelope.message,
        fields: envelope.fields,
        requestId,
        retryAfter: parseRetryAfter(firstHeader(headers['retry-after'])) ?? envelope.retryAfter,
      });
      this.#logFailure(error);
      throw error;
    }
    if (status !== 200) {
      discard(body);
      throw badUpstreamResponse(status < 300 ? 'unexpected status' : 'redirect', status, {
        requestId,
      });
    }
    if (!isJson(headers)) {
      discard(body);
      throw badUpstreamResponse('unexpected content type', status, { requestId });
    }

    let text: string;
    try {
      text = await this.#readBody(body);
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw this.#transportError(error);
    }
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
  async #readBody(body: Dispatcher.ResponseData['body']): Promise<string> {
    const cap = this.#options.maxBodyBytes;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > cap) {
        body.destroy();
        throw badUpstreamResponse('body too large', 200);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }

  #transportError(error: unknown): unknown {
    const code = (error as { code?: unknown } | null)?.code;
    const { timeouts } = this.#options;
    let mapped: GatewayError | undefined;
    if (code === 'UND_ERR_CONNECT_TIMEOUT') {
      mapped = upstreamTimeout(timeouts.connectMs, 'connection', error);
    } else if (code === 'UND_ERR_HEADERS_TIMEOUT') {
      mapped = upstreamTimeout(timeouts.headersMs, 'response headers', error);
    } else if (code === 'UND_ERR_BODY_TIMEOUT') {
      mapped = upstreamTimeout(timeouts.bodyMs, 'response body data', error);
    } else if (
      (typeof code === 'string' && (code.startsWith('UND_ERR') || /^E[A-Z_]+$/.test(code))) ||
      (error instanceof Error && error.name === 'AbortError')
    ) {
      // Refused, reset, DNS failure, closed socket, or a request the client abandoned.
      mapped = upstreamUnreachable(error);
    }
    if (mapped === undefined) return error; // a bug of ours: Yoga masks and logs it
    this.#logFailure(mapped, code);
    return mapped;
  }

  #logFailure(error: GatewayError, cause?: unknown): void {
    const status = error.extensions.upstream?.status;
    this.#options.logger.warn(
      `AgentMC request failed: ${error.code}${status ? ` (status ${status})` : ''}${
        typeof cause === 'string' ? ` [${cause}]` : ''
      }`,
    );
  }

  #warnAboutUnknownStatuses(sessions: readonly RealtimeSession[]): void {
    for (const session of sessions) {
      if (session.status !== 'unknown') continue;
      const seen = this.#unknownStatusesSeen;
      if (seen.has(session.upstreamStatus) || seen.size >= MAX_REMEMBERED_UNKNOWN_STATUSES) continue;
      seen.add(session.upstreamStatus);
      this.#options.logger.warn(
        `AgentMC sent realtime session status ${JSON.stringify(session.upstreamStatus)}, ` +
          'which this gateway does not know; it is served as UNKNOWN (see upstreamStatus).',
      );
    }
  }
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
