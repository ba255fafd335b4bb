import {
  agentContextRequired,
  agentIdInvalid,
  agentNotOnHost,
  AGENT_ID_HEADER,
  AGENT_ID_QUERY,
  API_PREFIX,
  hostKeyExpected,
  HOSTS_WIRE_PATHS,
  isHostKey,
  limitOutOfRange,
  OPENAPI_DOCUMENT_PATH,
  openApiDocument,
  requestedAgentId,
  requestedSessionsBody,
  requestedSessionsLimit,
  routeMissBody,
  wireError,
  type WireInstructions,
  type WireSession,
} from '../agentmc-wire.js';

/*
 * The rules of AgentMC's hosts generation as a pure function of one request, so the demo upstream
 * and the test fake answer alike: host keys (`cc_…`), the agent named per call by `X-Agent-Id` or
 * `agent_id`, 403 for an agent not on the host, the host-wide list without an agent, and the
 * framework's own 404 (a route miss) for every other path, the agents generation's included.
 */

/** What one HTTP request carried; `path` without the query string. */
export interface WireRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The body's text, for the POSTs that carry one; absent: none was read. */
  body?: string;
}

/** A status and a JSON body. */
export interface WireAnswer {
  status: number;
  body: unknown;
}

/** One host as the API sees it. */
export interface HostsApi {
  /** Each agent on the host, and what its list (`X-Agent-Id: <id>`) answers, before `limit`. */
  agents: ReadonlyMap<number, readonly WireSession[]>;
  /** What the list answers with no agent named (every agent's sessions, for recovery), before `limit`. */
  hostWide: readonly WireSession[];
  /** `GET /agents/instructions` for an agent on the host. */
  instructions(agentId: number): WireInstructions;
  /** The paths `/api/openapi.json` lists (relative to /api/v1); undefined: no document (a route miss). */
  documentPaths?: readonly string[];
}

/** The paths the hosts generation serves, relative to /api/v1: what its document lists. */
export const HOSTS_DOCUMENT_PATHS: readonly string[] = Object.values(HOSTS_WIRE_PATHS).map((path) =>
  path.slice(API_PREFIX.length),
);

const routeMiss = (path: string): WireAnswer => ({ status: 404, body: routeMissBody(path) });

export function answerHosts(api: HostsApi, request: WireRequest): WireAnswer {
  const { method, path, query } = request;
  if (method === 'GET' && path === OPENAPI_DOCUMENT_PATH && api.documentPaths !== undefined)
    return { status: 200, body: openApiDocument(api.documentPaths) };
  const sessionsRoute = path === HOSTS_WIRE_PATHS.listAgentRealtimeRequestedSessions;
  if (method !== 'GET' || (!sessionsRoute && path !== HOSTS_WIRE_PATHS.getAgentInstructions))
    return routeMiss(path);

  const caller = hostsCaller(api.agents, request);
  if (!caller.ok) return caller.answer;
  const { agentId } = caller;
  let sessions = api.hostWide;
  if (agentId === undefined) {
    if (!sessionsRoute) return agentContextRequired();
  } else {
    if (!sessionsRoute) return { status: 200, body: api.instructions(agentId) };
    sessions = api.agents.get(agentId) ?? [];
  }
  const limit = requestedSessionsLimit(query.get('limit'));
  if (limit === null) return limitOutOfRange();
  return { status: 200, body: requestedSessionsBody(sessions.slice(0, limit)) };
}

/** The agent a host-key request acts for (undefined: it names none), or the answer refusing it. */
export type HostsCaller = { ok: true; agentId: number | undefined } | { ok: false; answer: WireAnswer };

/**
 * Who a request on the hosts generation is, as the API reads it: a host key (`cc_…`; none or
 * another kind: 401), and the agent `X-Agent-Id` or `agent_id` names, if any (not an integer
 * ≥ 1: 422; not one of `agents`, the host's: 403).
 */
export function hostsCaller(agents: { has(agentId: number): boolean }, request: WireRequest): HostsCaller {
  const { query, headers } = request;
  const key = headers['x-api-key'];
  const apiKey = (typeof key === 'string' ? key : key?.[0])?.trim() ?? '';
  if (apiKey === '') return { ok: false, answer: wireError('unauthenticated') };
  if (!isHostKey(apiKey)) return { ok: false, answer: hostKeyExpected() };
  const agentId = requestedAgentId(headers[AGENT_ID_HEADER], query.get(AGENT_ID_QUERY));
  if (agentId === null) return { ok: false, answer: agentIdInvalid() };
  if (agentId !== undefined && !agents.has(agentId)) return { ok: false, answer: agentNotOnHost(agentId) };
  return { ok: true, agentId };
}
