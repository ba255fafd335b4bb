// Over 250 lines: the lane is one sequence (which requests, reading one, answering it, replaying the rest); it reads best whole.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ExecutionResult } from 'graphql';
import {
  isAsyncIterable,
  processRegularResult,
  type GraphQLParams,
  type YogaServerInstance,
} from 'graphql-yoga';
import type { GatewayContext } from './context.js';
import { ErrorCode } from './error-codes.js';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';
import { assignRequestId, REQUEST_ID_HEADER } from './plugins/use-request-id.js';
import { trustedDocumentText } from './trusted-documents.js';

/*
 * The JSON lane: a `POST /graphql` of a query or mutation in one JSON object, answered as JSON,
 * runs here without Yoga's HTTP layer (the fetch-API request and response made around every
 * request, and the hooks of what it is not: GraphiQL, CORS, health, readiness, /metrics, unknown
 * routes), yet through everything that makes an operation: Yoga's own `getResultForParams` (the
 * params check, trusted documents, the parse and validation caches, every envelop plugin: limits,
 * masked errors, compiled queries, operation metrics, tracing) and its own `processRegularResult`
 * (status, content type, body). That is most traffic: agents posting queries with their own key.
 *
 * Anything else is Yoga's, untouched: another method, path or content type; no body; an `Origin` (browsers:
 * CORS is Yoga's); an `Accept` no JSON type matches (Yoga may answer with a stream); a body that
 * is not one JSON object. A request refused before it runs (its params, an untrusted
 * document), or that may be a subscription, is replayed through Yoga's own handler with the same
 * bytes, so every refusal and every stream reads as Yoga writes it.
 */

const JSON_TYPES = ['application/graphql-response+json', 'application/json'] as const;
export type JsonType = (typeof JSON_TYPES)[number];

const matches = (asked: string, offered: string) => {
  const [askedType, askedSubtype] = asked.split('/');
  const [type, subtype] = offered.split('/');
  return (askedType === '*' || askedType === type) && (askedSubtype === '*' || askedSubtype === subtype);
};

const acceptCache = new Map<string, JsonType | null>();

/**
 * The JSON media type Yoga answers a result that is not a stream with, for `accept` (absent:
 * any type), or null when Yoga would not answer it with JSON. Yoga reads the list as
 * `getMediaTypesForRequestInOrder` does (no spaces, lower case, utf-8 only), tries its SSE,
 * multipart and JSON processors in that order and keeps the last match: JSON whenever a JSON type
 * matches, and then the one matched by the first listed type that matches any, of the two the
 * later (`application/json` for any type).
 */
export function jsonMediaType(accept = '*/*'): JsonType | null {
  const cached = acceptCache.get(accept);
  if (cached !== undefined) return cached;
  const asked = accept
    .replace(/\s/g, '')
    .toLowerCase()
    .split(',')
    .filter((entry) => {
      const charset = entry.split(';').find((parameter) => parameter.includes('charset='));
      return charset === undefined || charset === 'charset=utf-8';
    })
    .map((entry) => entry.split(';')[0] ?? '');
  let chosen: JsonType | null = null;
  for (const type of asked) {
    const found = JSON_TYPES.filter((json) => matches(type, json)).at(-1);
    if (found !== undefined) {
      chosen = found;
      break;
    }
  }
  // Clients send a handful of distinct values; an unbounded variety is not worth remembering.
  if (acceptCache.size < 64) acceptCache.set(accept, chosen);
  return chosen;
}

function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const semicolon = value.indexOf(';');
  const type = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  return type === 'application/json';
}

/** The lane's stand-in for the fetch-API request: what the plugins and the context read of one. */
class LaneRequest {
  readonly method = 'POST';
  readonly headers: Headers;
  #controller: AbortController | undefined;

  constructor(
    readonly url: string,
    incoming: IncomingMessage,
    private readonly response: ServerResponse,
  ) {
    this.headers = new LaneHeaders(incoming) as unknown as Headers;
  }

  /** Aborts when the client goes away before its answer; made only for the calls that ask. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = (this.#controller = new AbortController());
      const abort = () => {
        if (!this.response.writableFinished) controller.abort();
      };
      // The response closes when it is sent or when the connection goes (the body is read by now).
      if (this.response.closed) abort();
      else this.response.once('close', abort);
    }
    return this.#controller.signal;
  }
}

/** `Headers.get` over Node's parsed headers (joined as the fetch API joins repeated ones). */
class LaneHeaders {
  constructor(private readonly incoming: IncomingMessage) {}

  get(name: string): string | null {
    const value = this.incoming.headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.incoming.headers[name.toLowerCase()] !== undefined;
  }
}

/** The document text a request names, when the lane can know it before Yoga runs. */
function documentText(
  params: Record<string, unknown>,
  trustedDocuments: ReadonlyMap<string, string> | undefined,
): string | undefined {
  if (trustedDocuments === undefined) return typeof params.query === 'string' ? params.query : undefined;
  const text = trustedDocumentText(trustedDocuments, params);
  return typeof text === 'string' ? text : undefined;
}

export interface JsonLaneOptions {
  readonly yoga: YogaServerInstance<Record<string, never>, GatewayContext>;
  readonly graphqlPath: string;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly trustedDocuments: ReadonlyMap<string, string> | undefined;
}

/** `next` (Yoga's node handler) with the lane in front of it. */
export function withJsonLane(next: RequestListener, options: JsonLaneOptions): RequestListener {
  const { yoga, graphqlPath, metrics, logger, trustedDocuments } = options;
  const url = `http://localhost${graphqlPath}`;

  /**
   * The same request through Yoga's own node handler, its answer (a stream too) written by Yoga.
   * The body, already read, goes as the request's `body`: how whatwg-node takes a request whose
   * stream a framework consumed before it.
   */
  const replay = (incoming: IncomingMessage, response: ServerResponse, body: Buffer) => {
    (incoming as IncomingMessage & { body?: Buffer }).body = body;
    next(incoming, response);
  };

  const answer = async (
    incoming: IncomingMessage,
    response: ServerResponse,
    mediaType: JsonType,
    body: Buffer,
    started: number,
  ): Promise<void> => {
    let params: unknown;
    try {
      params = JSON.parse(body.toString('utf8'));
    } catch {
      return replay(incoming, response, body);
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      return replay(incoming, response, body);
    }
    // A subscription's answer is a stream Yoga picks by Accept: only Yoga serves one.
    const text = documentText(params as Record<string, unknown>, trustedDocuments);
    if (text === undefined || text.includes('subscription')) return replay(incoming, response, body);

    const request = new LaneRequest(url, incoming, response) as unknown as Request;
    const requestId = assignRequestId(request);
    let result;
    try {
      result = await yoga.getResultForParams({ params: params as GraphQLParams, request }, {
        request,
      } as never);
    } catch {
      // Thrown only before anything ran (the params check, trusted documents; Yoga catches what
      // parsing, validation and execution throw): Yoga words the refusal.
      return replay(incoming, response, body);
    }
    const { status, headers, text: answerText } = await regularAnswer(result, mediaType, yoga.fetchAPI);
    const answerBytes = Buffer.from(answerText);
    headers['content-length'] = String(answerBytes.length);
    headers[REQUEST_ID_HEADER] = requestId;
    response.writeHead(status, headers);
    response.end(answerBytes);
    metrics.observeHttpRequest('POST', status, (performance.now() - started) / 1000);
  };

  return (incoming, response) => {
    const { headers } = incoming;
    const mediaType =
      incoming.method === 'POST' &&
      incoming.url === graphqlPath &&
      headers.origin === undefined &&
      // A body to read: a declared length within the limit (withRequestBodyLimit runs first).
      Number(headers['content-length']) > 0 &&
      isJsonContentType(headers['content-type'])
        ? jsonMediaType(headers.accept)
        : null;
    if (mediaType === null) {
      next(incoming, response);
      return;
    }
    const started = performance.now();
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      answer(incoming, response, mediaType, Buffer.concat(chunks), started).catch((error: unknown) => {
        logger.error({ event: 'internal_error', err: error }, 'the JSON lane failed to answer');
        if (!response.headersSent) {
          response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        }
        response.end(INTERNAL_ERROR_BODY);
      });
    });
  };
}

/**
 * Yoga's `processRegularResult` answer, as status, content type and text. A result without errors
 * or extensions, nearly every one, is answered as Yoga answers it (200, the JSON type, the result's
 * own `stringify`: graphql-jit's for a compiled query) without the fetch-API Response Yoga would
 * make of it and the lane read back; any other goes through Yoga's function itself.
 */
async function regularAnswer(
  result: unknown,
  mediaType: JsonType,
  fetchAPI: YogaServerInstance<Record<string, never>, GatewayContext>['fetchAPI'],
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const plain = result as ExecutionResult & { stringify?: (result: ExecutionResult) => string };
  if (!isAsyncIterable(result) && plain.errors === undefined && plain.extensions === undefined) {
    const text = (plain.stringify ?? JSON.stringify)(plain);
    return { status: 200, headers: { 'content-type': `${mediaType}; charset=utf-8` }, text };
  }
  const processed = await processRegularResult(result as ExecutionResult, fetchAPI, mediaType);
  const headers: Record<string, string> = {};
  processed.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: processed.status, headers, text: await processed.text() };
}

const INTERNAL_ERROR_BODY = JSON.stringify({
  errors: [{ message: 'Unexpected error.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }],
});
