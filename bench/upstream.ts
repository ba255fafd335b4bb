// Over 250 lines on purpose: one process serving every path the bench measures, each with a precomputed body.
/*
 * A fast stand-in for the AgentMC calls the benchmark makes, in one API generation per process
 * (`BENCH_API_GENERATION`: `agents`, the default, or `hosts`), run as its own process so that its
 * CPU is not the runner's:
 *
 *   GET  /api/v1/{agents|hosts}/realtime/sessions/requested?limit=N          (1–100, default 20)
 *   GET  /api/v1/{agents|hosts}/realtime/sessions/{BENCH_SIGNALS_SESSION_ID}/signals?limit=N
 *        (1–200, default 50; `after_id` honoured, off the hot path)
 *   POST /api/v1/{agents|hosts}/realtime/sessions/{BENCH_SESSION_ID}/signals
 *
 * The agents generation takes any non-empty key; the hosts generation a host key (`cc_…`), with
 * `X-Agent-Id` (or `agent_id`) naming one of the host's agents (7, 8, 9; 403 for another) or none,
 * which on the requested list means the whole host's sessions. Every other path is a route miss
 * (the framework's 404), the other generation's included, as on a real server. Every body on the
 * hot path is serialised once (the signals pages on first use), and the query string is read
 * without URLSearchParams, so an answer costs little more than a socket write: the ceiling is
 * the targets, not this.
 *
 * Env: PORT (default 0), HOST (default 127.0.0.1), BENCH_API_GENERATION. Prints one JSON line
 * with `"event":"listening"` and the base URL (with `/api/v1`). `GET /__stats` returns
 * `{ "requests", "signalPosts", "rejectedSignalPosts", "generation" }` (every API request; of
 * those the signal POSTs; of those the ones with a wrong body) and is not counted; nor is
 * `GET /api/openapi.json`, the published document (this generation's operations), which a gateway
 * in `auto` reads at start. A signal POST is answered only once its body has arrived, and with
 * 422 unless it is JSON (`content-type: application/json`) of the documented
 * `{ "type": …, "payload": … }`: a target that sent anything else is counted wrong.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AGENT_ID_HEADER,
  AGENT_ID_QUERY,
  agentIdInvalid,
  agentNotOnHost,
  AGENTS_PATHS,
  API_PREFIX,
  hostKeyExpected,
  HOSTS_PATHS,
  isHostKey,
  limitOutOfRange,
  OPENAPI_DOCUMENT_PATH,
  openApiOperationsDocument,
  REQUESTED_SESSIONS_LIMIT,
  requestedAgentId,
  requestedSessionsBody,
  requestedSessionsLimit,
  routeMissBody,
  sessionPath,
  SIGNALS_DEFAULT_LIMIT,
  SIGNALS_LIMIT,
  wireError,
} from '../src/agentmc-wire.js';
import {
  BENCH_AGENT_ID,
  BENCH_SESSION_ID,
  BENCH_SIGNALS_SESSION_ID,
  createdSignalBody,
  HOST_AGENT_IDS,
  hostWideSessions,
  sessions,
  signalsPage,
} from './fixtures.js';

const generation = process.env.BENCH_API_GENERATION ?? 'agents';
if (generation !== 'agents' && generation !== 'hosts') {
  throw new Error(`BENCH_API_GENERATION must be agents or hosts, not "${generation}"`);
}
const hosts = generation === 'hosts';
const PATHS = hosts ? HOSTS_PATHS : AGENTS_PATHS;

const SESSIONS_PATH = `${API_PREFIX}${PATHS.listAgentRealtimeRequestedSessions}`;
const SIGNAL_POST_PATH = `${API_PREFIX}${sessionPath(PATHS.createAgentRealtimeSignal, BENCH_SESSION_ID)}`;
const SIGNALS_LIST_PATH = `${API_PREFIX}${sessionPath(PATHS.listAgentRealtimeSignals, BENCH_SIGNALS_SESSION_ID)}`;

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

// Index = limit; index 0 unused. Precomputed so the hot path does no JSON work at all.
const byLimit = (build: (limit: number) => unknown) =>
  Array.from({ length: REQUESTED_SESSIONS_LIMIT.max + 1 }, (_, limit) => json(build(limit)));
/** One agent's list: the agents generation's key's own, or the hosts generation's `X-Agent-Id: 7`. */
const agentBodies = byLimit((limit) => requestedSessionsBody(sessions(limit)));
/** Hosts generation, no agent named: the whole host's sessions. */
const hostBodies = hosts ? byLimit((limit) => requestedSessionsBody(hostWideSessions(limit))) : [];
/** The host's other agents have no sessions waiting. */
const emptyListBody = json(requestedSessionsBody([]));
/** Signals pages of the signals session from the first signal, by limit, built on first use. */
const signalsBodies: (Buffer | undefined)[] = new Array<Buffer | undefined>(SIGNALS_LIMIT.max + 1);

const unauthenticated = wireError('unauthenticated');
const unauthenticatedBody = json(unauthenticated.body);
const notHostKey = hostKeyExpected();
const notHostKeyBody = json(notHostKey.body);
const badAgentId = agentIdInvalid();
const badAgentIdBody = json(badAgentId.body);
const badLimit = limitOutOfRange();
const badLimitBody = json(badLimit.body);
const badSignalsQuery = wireError('validationFailed', undefined, {
  fields: { limit: [`The limit must be between ${SIGNALS_LIMIT.min} and ${SIGNALS_LIMIT.max}.`] },
});
const badSignalsQueryBody = json(badSignalsQuery.body);
// This generation's operations, so a gateway left on `AGENTMC_API_GENERATION=auto` picks it.
const documentBody = json(openApiOperationsDocument(PATHS));
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

/** Query parameter `name` of `url` (its `?` at `queryAt`, -1 for none), or null; no decoding (digits only). */
function queryParam(url: string, queryAt: number, name: string): string | null {
  if (queryAt === -1) return null;
  let at = queryAt + 1;
  while (at < url.length) {
    const end = url.indexOf('&', at);
    const stop = end === -1 ? url.length : end;
    if (url.startsWith(name, at) && url.charCodeAt(at + name.length) === 61 /* = */) {
      return url.slice(at + name.length + 1, stop);
    }
    at = stop + 1;
  }
  return null;
}

/** An integer in [min, max] from `raw`, `fallback` when absent, null when the API would refuse it. */
function integerParam(raw: string | null, fallback: number, min: number, max: number): number | null {
  if (raw === null) return fallback;
  const value = Number(raw);
  return raw !== '' && Number.isInteger(value) && value >= min && value <= max ? value : null;
}

/**
 * Who calls, by the generation's rules: `undefined` (the key's own agent, or on the hosts
 * generation the whole host), an agent id of the host, or false once an error has been answered.
 */
function caller(
  request: IncomingMessage,
  response: ServerResponse,
  url: string,
  queryAt: number,
): number | undefined | false {
  const key = request.headers['x-api-key'];
  if (typeof key !== 'string' || key.trim() === '') {
    send(response, unauthenticated.status, unauthenticatedBody);
    return false;
  }
  if (!hosts) return undefined;
  if (!isHostKey(key.trim())) {
    send(response, notHostKey.status, notHostKeyBody);
    return false;
  }
  const agentId = requestedAgentId(
    request.headers[AGENT_ID_HEADER],
    queryParam(url, queryAt, AGENT_ID_QUERY),
  );
  if (agentId === null) {
    send(response, badAgentId.status, badAgentIdBody);
    return false;
  }
  if (agentId !== undefined && !(HOST_AGENT_IDS as readonly number[]).includes(agentId)) {
    const refused = agentNotOnHost(agentId);
    send(response, refused.status, json(refused.body));
    return false;
  }
  return agentId;
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (path === '/__stats') {
    return send(response, 200, json({ requests, signalPosts, rejectedSignalPosts, generation }));
  }
  // Read once by the gateway at start, before any round: not an API call, so not counted either.
  if (path === OPENAPI_DOCUMENT_PATH) return send(response, 200, documentBody);
  requests += 1;
  if (path === SIGNAL_POST_PATH && request.method === 'POST') {
    signalPosts += 1;
    const who = caller(request, response, url, queryAt);
    if (who === false) return void request.resume();
    const isJson = request.headers['content-type']?.startsWith('application/json') === true;
    return createSignal(request, response, isJson);
  }
  if (request.method === 'GET' && path === SESSIONS_PATH)
    return listSessions(request, response, url, queryAt);
  if (request.method === 'GET' && path === SIGNALS_LIST_PATH)
    return listSignals(request, response, url, queryAt);
  send(response, 404, json(routeMissBody(path)));
}

function listSessions(
  request: IncomingMessage,
  response: ServerResponse,
  url: string,
  queryAt: number,
): void {
  const who = caller(request, response, url, queryAt);
  if (who === false) return;
  const limit = requestedSessionsLimit(queryParam(url, queryAt, 'limit'));
  if (limit === null) return send(response, badLimit.status, badLimitBody);
  const bodies =
    who === undefined ? (hosts ? hostBodies : agentBodies) : who === BENCH_AGENT_ID ? agentBodies : [];
  send(response, 200, bodies[limit] ?? emptyListBody);
}

function listSignals(request: IncomingMessage, response: ServerResponse, url: string, queryAt: number): void {
  if (caller(request, response, url, queryAt) === false) return;
  const limit = integerParam(
    queryParam(url, queryAt, 'limit'),
    SIGNALS_DEFAULT_LIMIT,
    SIGNALS_LIMIT.min,
    SIGNALS_LIMIT.max,
  );
  const afterId = integerParam(queryParam(url, queryAt, 'after_id'), 0, 0, Number.MAX_SAFE_INTEGER);
  if (limit === null || afterId === null) {
    return send(response, badSignalsQuery.status, badSignalsQueryBody);
  }
  // A later page is built per request: the benchmark reads the first page, which is kept.
  if (afterId !== 0) return send(response, 200, json(signalsPage(limit, afterId)));
  send(response, 200, (signalsBodies[limit] ??= json(signalsPage(limit))));
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
function createSignal(request: IncomingMessage, response: ServerResponse, isJson: boolean): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
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
    `${JSON.stringify({ event: 'listening', url: `http://${address}:${port}${API_PREFIX}`, generation })}\n`,
  );
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections(); // idle keep-alive sockets would otherwise hold the exit
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
