/*
 * Deterministic AgentMC sessions for the fake upstream, built in the documented
 * `AgentRealtimeSession` shape (src/agentmc-wire.ts). Varied on purpose (every status, nulls, small
 * meta objects) so each target does the same mapping work a real answer would make it do.
 */
import {
  SESSION_STATUSES,
  signalBody,
  wireSession,
  wireSignal,
  type WireSession,
} from '../src/agentmc-wire.js';

const BASE_TIME = Date.parse('2026-02-22T17:00:00Z');

/** RFC 3339 in the API's own style: whole seconds, `Z` (no milliseconds, unlike GraphQL output). */
const at = (minutes: number) => new Date(BASE_TIME + minutes * 60_000).toISOString().replace('.000Z', 'Z');

export function session(index: number): WireSession {
  const status = SESSION_STATUSES[index % SESSION_STATUSES.length] ?? 'requested';
  const started = status !== 'requested' && status !== 'expired';
  const ended = status === 'closed' || status === 'failed';
  return wireSession({
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
  });
}

/** The sessions a `limit` returns: the first `limit` of one fixed list. */
export const sessions = (limit: number): WireSession[] => Array.from({ length: limit }, (_, i) => session(i));

/** The session the send-signal path posts to: an active one (`session(2)`, id 9002). */
export const BENCH_SESSION_ID = 9002;
/** The id of the signal every send-signal POST is answered with (one precomputed body). */
export const BENCH_SIGNAL_ID = 70001;

/** `createAgentRealtimeSignal`'s 200 body for every send-signal POST: the signal and its session. */
export function createdSignalBody() {
  const active = session(BENCH_SESSION_ID - 9000);
  return signalBody(
    wireSignal({
      id: BENCH_SIGNAL_ID,
      team_id: active.team_id,
      agent_id: active.agent_id,
      session_id: active.id,
      sender: 'agent',
      type: 'message',
      payload: { text: 'hello from the bench', seq: 1 },
      created_at: at(40),
      updated_at: at(40),
    }),
    active,
  );
}
