/*
 * Deterministic AgentMC sessions for the fake upstream, written from the documented
 * `AgentRealtimeSession` shape. Varied on purpose (every status, nulls, small meta objects) so
 * each target does the same mapping work a real answer would make it do.
 */

export const SESSION_STATUSES = ['requested', 'claimed', 'active', 'closed', 'failed', 'expired'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** One session exactly as the REST endpoint sends it: snake_case, every key present. */
export interface UpstreamSession {
  id: number;
  team_id: number;
  agent_id: number;
  requested_by_user_id: number | null;
  status: SessionStatus;
  claimed_at: string | null;
  opened_at: string | null;
  closed_at: string | null;
  expires_at: string | null;
  last_browser_heartbeat_at: string | null;
  last_agent_heartbeat_at: string | null;
  created_at: string | null;
  updated_at: string | null;
  meta: Record<string, unknown> | null;
}

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;

const BASE_TIME = Date.parse('2026-02-22T17:00:00Z');

/** RFC 3339 in the API's own style: whole seconds, `Z` (no milliseconds, unlike GraphQL output). */
const at = (minutes: number) => new Date(BASE_TIME + minutes * 60_000).toISOString().replace('.000Z', 'Z');

export function session(index: number): UpstreamSession {
  const status = SESSION_STATUSES[index % SESSION_STATUSES.length] ?? 'requested';
  const started = status !== 'requested' && status !== 'expired';
  const ended = status === 'closed' || status === 'failed';
  return {
    id: 9000 + index,
    team_id: 42,
    agent_id: 7,
    requested_by_user_id: index % 4 === 3 ? null : 100 + (index % 9),
    status,
    claimed_at: status === 'requested' || status === 'expired' ? null : at(index + 1),
    opened_at: started ? at(index + 2) : null,
    closed_at: ended ? at(index + 30) : null,
    expires_at: at(index + 10),
    last_browser_heartbeat_at: started ? at(index + 5) : null,
    last_agent_heartbeat_at: started ? at(index + 6) : null,
    created_at: at(index),
    updated_at: at(index + 6),
    meta: index % 5 === 4 ? null : { source: 'browser', page: `/chat/${index}`, attempt: (index % 3) + 1 },
  };
}

/** The sessions a `limit` returns: the first `limit` of one fixed list. */
export const sessions = (limit: number): UpstreamSession[] =>
  Array.from({ length: limit }, (_, i) => session(i));
