/*
 * Where things are on an AgentMC server, in both API generations: the paths by OpenAPI
 * operationId, the agent header, the published document. Imports nothing.
 */

/** Every path is relative to the base URL, which ends in `/api/v1`. */
export const API_PREFIX = '/api/v1';

/** The paths of the agents generation (agent keys, `mca_*`), by OpenAPI operationId. */
export const AGENTS_PATHS = {
  listAgentRealtimeRequestedSessions: '/agents/realtime/sessions/requested',
  getAgentInstructions: '/agents/instructions',
  claimAgentRealtimeSession: '/agents/realtime/sessions/{session}/claim',
  listAgentRealtimeSignals: '/agents/realtime/sessions/{session}/signals',
  createAgentRealtimeSignal: '/agents/realtime/sessions/{session}/signals',
  closeAgentRealtimeSession: '/agents/realtime/sessions/{session}/close',
  authenticateAgentRealtimeSocket: '/agents/realtime/sessions/{session}/socket-auth',
} as const;

/**
 * The paths of the hosts generation (host keys, `cc_*`; an agent chosen per call by `X-Agent-Id`
 * or the `agent_id` query parameter), by OpenAPI operationId. `GET /agents/instructions` is still
 * served there, but a host key alone does not name an agent.
 */
export const HOSTS_PATHS = {
  listAgentRealtimeRequestedSessions: '/hosts/realtime/sessions/requested',
  getAgentInstructions: '/agents/instructions',
  claimAgentRealtimeSession: '/hosts/realtime/sessions/{session}/claim',
  listAgentRealtimeSignals: '/hosts/realtime/sessions/{session}/signals',
  createAgentRealtimeSignal: '/hosts/realtime/sessions/{session}/signals',
  closeAgentRealtimeSession: '/hosts/realtime/sessions/{session}/close',
  authenticateAgentRealtimeSocket: '/hosts/realtime/sessions/{session}/socket-auth',
  /** Signs the host watch channel that announces newly requested sessions; no `X-Agent-Id`. */
  authenticateHostRealtimeSocket: '/hosts/realtime/socket-auth',
} as const;

/** A session path with its `{session}` filled in (an integer ≥ 1, already checked). */
export function sessionPath(template: string, sessionId: string | number): string {
  return template.replace('{session}', String(sessionId));
}

/** The header (and query parameter) by which a host key acts as one of its agents, an integer ≥ 1. */
export const AGENT_ID_HEADER = 'x-agent-id';
export const AGENT_ID_QUERY = 'agent_id';

/** Where a server publishes its OpenAPI document, relative to its origin (not to `/api/v1`). */
export const OPENAPI_DOCUMENT_PATH = '/api/openapi.json';

/**
 * A minimal OpenAPI document that lists `paths` (relative to `/api/v1`), as a stand-in server
 * publishes it; the gateway reads only the path names.
 */
export function openApiDocument(paths: readonly string[]): { openapi: string; info: object; paths: object } {
  return {
    openapi: '3.0.0',
    info: { title: 'AgentMC API', version: 'v1' },
    paths: Object.fromEntries(paths.map((path) => [path, { get: {} }])),
  };
}

/**
 * What a server answers for a path it has no route for: the framework's own 404 (Laravel's JSON
 * rendering), not the API's error envelope. This is how a route miss differs from a documented 404.
 */
export function routeMissBody(path: string): { message: string } {
  return { message: `The route ${path.replace(/^\//, '')} could not be found.` };
}

/** The same paths as they arrive at an AgentMC server: below `/api/v1`, by OpenAPI operationId. */
export const WIRE_PATHS = {
  listAgentRealtimeRequestedSessions: `${API_PREFIX}${AGENTS_PATHS.listAgentRealtimeRequestedSessions}`,
  getAgentInstructions: `${API_PREFIX}${AGENTS_PATHS.getAgentInstructions}`,
} as const;

/** The hosts generation's paths as they arrive at an AgentMC server: below `/api/v1`, by operationId. */
export const HOSTS_WIRE_PATHS = {
  listAgentRealtimeRequestedSessions: `${API_PREFIX}${HOSTS_PATHS.listAgentRealtimeRequestedSessions}`,
  getAgentInstructions: `${API_PREFIX}${HOSTS_PATHS.getAgentInstructions}`,
} as const;

/** A host (or team) key, the hosts generation's kind: `cc_…`. Agent keys are `mca_…`. */
export function isHostKey(key: string): boolean {
  return key.startsWith('cc_');
}
