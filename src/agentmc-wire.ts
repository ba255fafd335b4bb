/*
 * The AgentMC REST wire format, as its OpenAPI document describes it: paths, limits, statuses and
 * the error envelope. Dependency-free on purpose: the gateway's routes, the demo upstream, the test
 * fake, the bench upstream and the soak all speak it from this one description.
 */

/** Every path is relative to the base URL, which ends in `/api/v1`. */
export const API_PREFIX = '/api/v1';

/** The paths of the agents generation (agent keys, `mca_*`), by OpenAPI operationId. */
export const AGENTS_PATHS = {
  listAgentRealtimeRequestedSessions: '/agents/realtime/sessions/requested',
  getAgentInstructions: '/agents/instructions',
} as const;

/** The range the API documents for `limit` on the requested-sessions list. */
export const REQUESTED_SESSIONS_LIMIT = { min: 1, max: 100, default: 20 } as const;

/** The lifecycle statuses the API documents for a realtime session, in its own spelling. */
export const SESSION_STATUSES = ['requested', 'claimed', 'active', 'closed', 'failed', 'expired'] as const;
export type WireSessionStatus = (typeof SESSION_STATUSES)[number];

/** Every non-2xx answer: `{ error: { code, message, details? } }`; 422 adds `details.fields`. */
export interface WireErrorEnvelope {
  error: {
    code: string;
    message: string;
    details?: { fields?: Record<string, string[]> } & Record<string, unknown>;
  };
}

export function errorEnvelope(
  code: string,
  message: string,
  details?: WireErrorEnvelope['error']['details'],
): WireErrorEnvelope {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
