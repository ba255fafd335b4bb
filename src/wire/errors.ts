import { AGENT_ID_QUERY } from './paths.js';
import { REQUESTED_SESSIONS_LIMIT } from './bodies.js';

/*
 * AgentMC's error answers: the envelope every non-2xx carries, and the ones stand-in servers (the
 * demo, the test fake) give for the cases the API documents.
 */

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

/**
 * The `limit` a requested-sessions request asks for, as the API reads its query parameter: the
 * default when absent, `null` when the API would refuse it (422).
 */
export function requestedSessionsLimit(raw: string | null): number | null {
  if (raw === null) return REQUESTED_SESSIONS_LIMIT.default;
  const limit = Number(raw);
  return Number.isInteger(limit) &&
    limit >= REQUESTED_SESSIONS_LIMIT.min &&
    limit <= REQUESTED_SESSIONS_LIMIT.max
    ? limit
    : null;
}

/** The documented error answers these stand-ins give, each with its status, code and a message. */
export const WIRE_ERRORS = {
  unauthenticated: { status: 401, code: 'unauthenticated', message: 'Missing or empty X-Api-Key.' },
  notFound: { status: 404, code: 'not_found', message: 'Not found.' },
  validationFailed: { status: 422, code: 'validation.failed', message: 'Validation failed.' },
} as const;
export type WireErrorKind = keyof typeof WIRE_ERRORS;

/** One error answer: its status and its envelope, `message` replacing the catalogue's. */
export function wireError(
  kind: WireErrorKind,
  message: string = WIRE_ERRORS[kind].message,
  details?: WireErrorEnvelope['error']['details'],
): { status: number; body: WireErrorEnvelope } {
  const { status, code } = WIRE_ERRORS[kind];
  return { status, body: errorEnvelope(code, message, details) };
}

/** The 422 the API gives for a `limit` outside its range, naming the field. */
export function limitOutOfRange(): { status: number; body: WireErrorEnvelope } {
  const { min, max } = REQUESTED_SESSIONS_LIMIT;
  return wireError('validationFailed', undefined, {
    fields: { limit: [`The limit must be between ${min} and ${max}.`] },
  });
}

/**
 * The agent a host-key request acts for, as the API reads it: the `X-Agent-Id` header, else the
 * `agent_id` query parameter. `undefined` when neither is sent, `null` when the value is not an
 * integer ≥ 1 (the API answers 422, see `agentIdInvalid`).
 */
export function requestedAgentId(
  header: string | readonly string[] | undefined,
  query: string | null,
): number | null | undefined {
  const raw = (typeof header === 'string' ? header : header?.[0]) ?? query ?? undefined;
  if (raw === undefined) return undefined;
  const id = Number(raw.trim());
  return /^[0-9]+$/.test(raw.trim()) && Number.isSafeInteger(id) && id >= 1 ? id : null;
}

/** The 422 for an `X-Agent-Id` / `agent_id` that is not an integer ≥ 1, naming the field. */
export function agentIdInvalid(): { status: number; body: WireErrorEnvelope } {
  return wireError('validationFailed', undefined, {
    fields: { [AGENT_ID_QUERY]: ['The agent id must be an integer of at least 1.'] },
  });
}

/** The 422 `GET /agents/instructions` gives a host key that names no agent. */
export function agentContextRequired(): { status: number; body: WireErrorEnvelope } {
  return wireError(
    'validationFailed',
    'Agent context is required: a host key must name the agent with X-Agent-Id or agent_id.',
    { fields: { [AGENT_ID_QUERY]: ['The agent id is required for a host key.'] } },
  );
}

/** The 401 for a key that is not a host key on the hosts generation's routes. */
export function hostKeyExpected(): { status: number; body: WireErrorEnvelope } {
  return wireError('unauthenticated', 'A host key (cc_…) is expected in X-Api-Key.');
}

/** The 403 for a host key acting for an agent that is not assigned to its host. */
export function agentNotOnHost(agentId: number): { status: number; body: WireErrorEnvelope } {
  return {
    status: 403,
    body: errorEnvelope('forbidden', `Agent ${agentId} is not assigned to this host.`),
  };
}
