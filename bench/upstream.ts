/*
 * A fast stand-in for AgentMC's `GET /api/v1/agents/realtime/sessions/requested?limit=N` and
 * `POST /api/v1/agents/realtime/sessions/{BENCH_SESSION_ID}/signals`, run as its own process so
 * that its CPU is not the runner's. Every body is serialised once at start, so an answer costs
 * little more than a socket write: the ceiling is the targets, not this.
 *
 * Env: PORT (default 0), HOST (default 127.0.0.1). Prints one JSON line with `"event":"listening"`
 * and the base URL (with `/api/v1`). `GET /__stats` returns `{ "requests", "signalPosts",
 * "rejectedSignalPosts" }` (every API request; of those the signal POSTs; of those the ones with a
 * wrong body) and is not counted; nor is
 * `GET /api/openapi.json`, the published document (its one agents path) a gateway in `auto` reads.
 * A signal POST is answered only once its body has arrived, and with 422 unless it is JSON
 * (`content-type: application/json`) of the documented `{ "type": …, "payload": … }`: a target
 * that sent anything else is counted wrong.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AGENTS_PATHS,
  API_PREFIX,
  limitOutOfRange,
  OPENAPI_DOCUMENT_PATH,
  openApiDocument,
  REQUESTED_SESSIONS_LIMIT,
  requestedSessionsBody,
  requestedSessionsLimit,
  sessionPath,
  wireError,
  WIRE_PATHS,
} from '../src/agentmc-wire.js';
import { BENCH_SESSION_ID, createdSignalBody, sessions } from './fixtures.js';

const SESSIONS_PATH = WIRE_PATHS.listAgentRealtimeRequestedSessions;
const SIGNALS_PATH = `${API_PREFIX}${sessionPath(AGENTS_PATHS.createAgentRealtimeSignal, BENCH_SESSION_ID)}`;

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

// Index = limit; index 0 unused. Precomputed so the hot path does no JSON work at all.
const bodies: Buffer[] = Array.from({ length: REQUESTED_SESSIONS_LIMIT.max + 1 }, (_, limit) =>
  json(requestedSessionsBody(sessions(limit))),
);
const unauthenticated = wireError('unauthenticated');
const unauthenticatedBody = json(unauthenticated.body);
const notFound = wireError('notFound', 'No such route.');
const notFoundBody = json(notFound.body);
const badLimit = limitOutOfRange();
const badLimitBody = json(badLimit.body);
// The agents generation's document, so a gateway left on `AGENTMC_API_GENERATION=auto` picks it.
const documentBody = json(openApiDocument([AGENTS_PATHS.listAgentRealtimeRequestedSessions]));
const signalBody = json(createdSignalBody());
const badSignal = {
  status: 422,
  body: json({
    error: {
      code: 'validation_failed',
      message: 'The given data was invalid.',
      details: { fields: { type: ['The type field is required.'] } },
    },
  }),
};

let requests = 0;
let signalPosts = 0;
let rejectedSignalPosts = 0;

function send(response: ServerResponse, status: number, body: Buffer): void {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  response.end(body);
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (path === '/__stats') return send(response, 200, json({ requests, signalPosts, rejectedSignalPosts }));
  // Read once by the gateway at start, before any round: not an API call, so not counted either.
  if (path === OPENAPI_DOCUMENT_PATH) return send(response, 200, documentBody);
  requests += 1;
  const key = request.headers['x-api-key'];
  if (path === SIGNALS_PATH && request.method === 'POST') {
    signalPosts += 1;
    const authenticated = typeof key === 'string' && key.trim() !== '';
    const isJson = request.headers['content-type']?.startsWith('application/json') === true;
    return createSignal(request, response, authenticated, isJson);
  }
  if (path !== SESSIONS_PATH || request.method !== 'GET')
    return send(response, notFound.status, notFoundBody);
  if (typeof key !== 'string' || key.trim() === '') {
    return send(response, unauthenticated.status, unauthenticatedBody);
  }
  const limit = requestedSessionsLimit(
    queryAt === -1 ? null : new URLSearchParams(url.slice(queryAt + 1)).get('limit'),
  );
  const body = limit === null ? undefined : bodies[limit];
  if (body === undefined) return send(response, badLimit.status, badLimitBody);
  send(response, 200, body);
}

/** Whether a signal POST's body is the documented `{ "type": "<non-empty>", "payload": object | array | null }`. */
function isSignalBody(text: string): boolean {
  try {
    const body = JSON.parse(text) as { type?: unknown; payload?: unknown };
    return (
      typeof body.type === 'string' &&
      body.type !== '' &&
      (body.payload === null || typeof body.payload === 'object')
    );
  } catch {
    return false;
  }
}

/** The body is read whole (it is small) and checked, then answered with the precomputed signal. */
function createSignal(
  request: IncomingMessage,
  response: ServerResponse,
  authenticated: boolean,
  isJson: boolean,
): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    if (!authenticated) return send(response, unauthenticated.status, unauthenticatedBody);
    if (isJson && isSignalBody(Buffer.concat(chunks).toString('utf8'))) {
      return send(response, 200, signalBody);
    }
    rejectedSignalPosts += 1;
    send(response, badSignal.status, badSignal.body);
  });
}

const server = createServer({ keepAlive: true }, handle);
// Longer than any client's idle timeout, so clients (not this server) decide when sockets close
// and no round pays for reconnects the server forced.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', url: `http://${address}:${port}${API_PREFIX}` })}\n`,
  );
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections(); // idle keep-alive sockets would otherwise hold the exit
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
