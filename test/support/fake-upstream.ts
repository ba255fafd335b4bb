// Over 250 lines: the one fake AgentMC and its scripted answers, which every test file shares.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  API_PREFIX,
  HOSTS_WIRE_PATHS,
  OPENAPI_DOCUMENT_PATH,
  openApiDocument,
  routeMissBody,
  wireError,
  WIRE_PATHS,
  type WireSession,
} from '../../src/agentmc-wire.js';
import { createDemoApi, type DemoApi } from '../../src/demo/demo-api.js';
import { answerHosts, HOSTS_DOCUMENT_PATHS } from '../../src/demo/hosts-api.js';
import type { SeedSignal } from '../../src/demo/session-store.js';
import { instructionsPayload, sessionsPayload } from './sessions.js';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. /api/v1/agents/realtime/sessions/requested. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** `performance.now()` when it arrived. */
  receivedAt: number;
  /** Resolves when the exchange ends: true when the gateway hung up before the answer was complete. */
  abandoned: Promise<boolean>;
  /**
   * The body's text once it has all arrived ('' when there was none; what had arrived when the
   * gateway broke the exchange off). Read whatever the responder does.
   */
  bodyText: Promise<string>;
}

/** Writes one scripted answer; `request` is what the gateway sent. */
export type Responder = (response: ServerResponse, request: RecordedRequest) => void;

export interface FakeUpstream {
  /** What to use as AGENTMC_API_URL; ends in /api/v1 like the real one. */
  baseUrl: URL;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Scripts the answer to every following request. */
  respondWith(responder: Responder): void;
  close(): Promise<void>;
}

export const SESSIONS_PATH = WIRE_PATHS.listAgentRealtimeRequestedSessions;
export const INSTRUCTIONS_PATH = WIRE_PATHS.getAgentInstructions;
/** The hosts generation's list (host keys; `X-Agent-Id` or `agent_id` names the agent, or none: the host). */
export const HOSTS_SESSIONS_PATH = HOSTS_WIRE_PATHS.listAgentRealtimeRequestedSessions;
/** Where a server publishes its OpenAPI document (below the origin, not below `/api/v1`). */
export const OPENAPI_PATH = OPENAPI_DOCUMENT_PATH;

/** A real AgentMC stand-in on 127.0.0.1: node:http, port 0, answers scripted per test. */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let responder: Responder = agentmc();

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://upstream.test');
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    const recorded: RecordedRequest = {
      method: request.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      receivedAt: performance.now(),
      abandoned: new Promise((resolve) => response.once('close', () => resolve(!response.writableFinished))),
      bodyText: new Promise((resolve) => {
        const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
        request.once('end', done);
        request.once('close', done);
        request.once('error', done);
      }),
    };
    requests.push(recorded);
    responder(response, recorded);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: new URL(`http://127.0.0.1:${port}${API_PREFIX}`),
    requests,
    respondWith: (next) => {
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A JSON answer with the given status and extra headers. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Responder {
  return raw(status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

/** Any body with any headers: HTML from a proxy, an empty body, a wrong content type. */
export function raw(status: number, body: string, headers: Record<string, string> = {}): Responder {
  return (response) => {
    response.writeHead(status, headers);
    response.end(body);
  };
}

/** The documented error envelope. */
export function envelope(
  status: number,
  error: { code: string; message: string; details?: Record<string, unknown> | null },
  headers: Record<string, string> = {},
): Responder {
  return json(status, { error }, headers);
}

/** Accepts the request and never answers. */
export const hang: Responder = () => undefined;

/**
 * Sends the status, the headers (with the full body's length) and half of the body, then drops
 * the connection: an answer broken off while the gateway reads it.
 */
export function brokenBody(status: number, body: unknown): Responder {
  return (response) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    response.write(text.slice(0, Math.floor(text.length / 2)), () => {
      setTimeout(() => response.socket?.destroy(), 10);
    });
  };
}

/** Drops the connection without a response. */
export const reset: Responder = (response) => {
  response.socket?.destroy();
};

const notFound = wireError('notFound');

/** Answers by path; any other path is the API's 404 envelope. */
export function routes(byPath: Record<string, Responder>): Responder {
  return (response, request) =>
    (byPath[request.path] ?? json(notFound.status, notFound.body))(response, request);
}

/** The two endpoints the gateway uses, answering as agent `agentId` with the given sessions. */
export function agentmc(sessions: Responder = json(200, sessionsPayload()), agentId = 77): Responder {
  return routes({
    [SESSIONS_PATH]: sessions,
    [INSTRUCTIONS_PATH]: json(200, instructionsPayload(agentId)),
  });
}

/** The n-th request gets the n-th responder; the last one answers every request after that. */
export function sequence(...responders: Responder[]): Responder {
  let next = 0;
  return (response, request) => {
    const responder = responders[Math.min(next, responders.length - 1)];
    next += 1;
    responder?.(response, request);
  };
}

/** Answers after `ms`, unless the gateway hung up first. */
export function delayed(ms: number, responder: Responder): Responder {
  return (response, request) => {
    const timer = setTimeout(() => responder(response, request), ms);
    response.once('close', () => clearTimeout(timer));
  };
}

/** A base URL where nothing listens: a port that was free a moment ago, so connecting is refused. */
export async function refusingUpstreamUrl(): Promise<URL> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return new URL(`http://127.0.0.1:${port}${API_PREFIX}`);
}

/** The framework's own 404 for a path it has no route for (not the API's envelope): a route miss. */
export const routeMiss: Responder = (response, request) =>
  json(404, routeMissBody(request.path))(response, request);

/**
 * `GET /api/openapi.json` listing `paths` (relative to /api/v1, e.g. `/hosts/realtime/sessions/requested`),
 * as a server publishes it. Use with `routes({ [OPENAPI_PATH]: openApiResponder([...]), ... })`.
 */
export function openApiResponder(paths: readonly string[]): Responder {
  return json(200, openApiDocument(paths));
}

export interface AgentmcHostsOptions {
  /** The host's agents by id, each with what its list (`X-Agent-Id: <id>`) answers, before `limit`. */
  agents: Record<number, WireSession[]>;
  /** What the list answers with no agent named. @default every agent's sessions, in id order */
  hostWide?: WireSession[];
  /** Serve `/api/openapi.json` listing the hosts paths; false: a route miss there. @default true */
  document?: boolean;
}

/**
 * The hosts generation, with AgentMC's rules (src/demo/hosts-api.ts, shared with the demo): any
 * `cc_` key is the host's key (other keys 401), `X-Agent-Id` or `agent_id` names one of `agents`
 * (not an integer ≥ 1: 422 with `details.fields`; not on the host: 403), no agent gives `hostWide`,
 * `limit` is validated (422) and applied, `GET /agents/instructions` needs an agent (422 without),
 * and every other path, the agents generation's included, is a route miss (404, no envelope).
 */
export function agentmcHosts({ agents, hostWide, document = true }: AgentmcHostsOptions): Responder {
  const byAgent = new Map(Object.entries(agents).map(([id, sessions]) => [Number(id), sessions]));
  const api = {
    agents: byAgent,
    hostWide: hostWide ?? [...byAgent.keys()].sort((a, b) => a - b).flatMap((id) => byAgent.get(id) ?? []),
    instructions: instructionsPayload,
    documentPaths: document ? HOSTS_DOCUMENT_PATHS : undefined,
  };
  return (response, request) => {
    const { status, body } = answerHosts(api, request);
    json(status, body)(response, request);
  };
}

export interface AgentmcLifecycleOptions {
  /** The generation it speaks. @default 'hosts' */
  generation?: 'hosts' | 'agents';
  /** Every session it knows, in list order (hosts: every agent's; agents: the key's agent's). */
  sessions: WireSession[];
  /** Hosts: the host's agents. @default the agents of `sessions` */
  agents?: number[];
  /** Agents: the agent every key is. @default 77 */
  agentId?: number;
  /** Signals the sessions already have (ids 1, 2, … in this order). */
  signals?: SeedSignal[];
  /** How long after an agent's first signal the simulated browser answers; null: never. @default 300 */
  browserAnswerMs?: number | null;
  /** Serve `/api/openapi.json` listing every lifecycle path; false: a route miss there. @default true */
  document?: boolean;
}

/**
 * A stateful AgentMC with the demo's rules (src/demo/demo-api.ts, shared with the demo upstream):
 * the requested lists and instructions as `agentmcHosts` / `agentmc` answer them, read from the
 * state, and the session lifecycle: claim (`requested` → `claimed`; the same owner again: 200;
 * another: 409 `realtime.session_claimed`; hosts: `owner_token` required, kept in
 * `meta.claim_owner_token`; agents: one owner per key), signals (global increasing ids;
 * `exclude_sender` on the agents generation only; the first agent signal makes the session
 * `active` and the simulated browser answer), close (then 409 `realtime.session_ended`) and the
 * socket auths (`auth` signed with DEMO_SOCKET_APP, see src/demo/socket-auth.ts). A session of
 * another agent is 404; 422s name their fields. `api.store` is the state, for assertions.
 */
export function agentmcLifecycle({
  generation = 'hosts',
  sessions,
  agents,
  agentId = 77,
  signals,
  browserAnswerMs,
  document,
}: AgentmcLifecycleOptions): Responder & { readonly api: DemoApi } {
  const api = createDemoApi({
    generation,
    sessions: () => sessions,
    hostAgentIds: agents ?? [...new Set(sessions.map((session) => session.agent_id))],
    agentId,
    instructions: instructionsPayload,
    seed: signals,
    browserAnswerMs,
    document,
  });
  const responder: Responder = (response, request) => {
    void request.bodyText.then((body) => {
      if (response.destroyed) return;
      const { status, body: answer } = api.answer({ ...request, body });
      json(status, answer)(response, request);
    });
  };
  return Object.assign(responder, { api });
}
