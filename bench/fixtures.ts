/*
 * Deterministic AgentMC sessions and signals for the fake upstream, built in the documented
 * `AgentRealtimeSession` / `AgentRealtimeSignal` shapes (src/agentmc-wire.ts). Varied on purpose
 * (every status and sender, nulls, small meta objects and payloads) so each target does the same
 * mapping work a real answer would make it do.
 */
import {
  SESSION_STATUSES,
  SIGNAL_SENDERS,
  signalBody,
  signalsBody,
  wireSession,
  wireSignal,
  type WireSession,
  type WireSignal,
} from '../src/agentmc-wire.js';

const BASE_TIME = Date.parse('2026-02-22T17:00:00Z');

/** RFC 3339 in the API's own style: whole seconds, `Z` (no milliseconds, unlike GraphQL output). */
const at = (minutes: number) => new Date(BASE_TIME + minutes * 60_000).toISOString().replace('.000Z', 'Z');

/** The agent every agent-scoped session belongs to, and the id a host key acts as (`X-Agent-Id`). */
export const BENCH_AGENT_ID = 7;

export function session(index: number): WireSession {
  const status = SESSION_STATUSES[index % SESSION_STATUSES.length] ?? 'requested';
  const started = status !== 'requested' && status !== 'expired';
  const ended = status === 'closed' || status === 'failed';
  return wireSession({
    id: 9000 + index,
    team_id: 42,
    agent_id: BENCH_AGENT_ID,
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

/** The host's three agents (hosts generation): `X-Agent-Id` may name the first; the others are its peers. */
export const HOST_AGENT_IDS = [BENCH_AGENT_ID, BENCH_AGENT_ID + 1, BENCH_AGENT_ID + 2] as const;

/**
 * The host-wide list (hosts generation, no `X-Agent-Id`): the same sessions, spread over the
 * host's three agents.
 */
export const hostWideSessions = (limit: number): WireSession[] =>
  sessions(limit).map((one, i) => ({ ...one, agent_id: HOST_AGENT_IDS[i % HOST_AGENT_IDS.length] ?? 7 }));

/** The session the send-signal path posts to: an active one (`session(2)`, id 9002). */
export const BENCH_SESSION_ID = 9002;
/** The id of the signal every send-signal POST is answered with (one precomputed body). */
export const BENCH_SIGNAL_ID = 70001;

/** The session the signals page reads: a claimed one (`session(1)`, id 9001). */
export const BENCH_SIGNALS_SESSION_ID = 9001;
/** The signals page's `limit` in the bench query (the API's default page, too). */
export const BENCH_SIGNALS_LIMIT = 50;
/** The first signal of that session's list; ids increase by one. */
export const FIRST_LISTED_SIGNAL_ID = 80001;

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

/** Signal `index` (from 0) of the signals session: every sender, objects, arrays and null payloads. */
function listedSignal(index: number, of: WireSession): WireSignal {
  const payload =
    index % 5 === 4
      ? null
      : index % 5 === 3
        ? [{ part: 1, name: `file-${index}.txt` }, { part: 2 }]
        : { text: `message ${index}`, seq: index };
  return wireSignal({
    id: FIRST_LISTED_SIGNAL_ID + index,
    team_id: of.team_id,
    agent_id: of.agent_id,
    session_id: of.id,
    sender: SIGNAL_SENDERS[index % SIGNAL_SENDERS.length] ?? 'agent',
    type: index % 7 === 6 ? 'typing' : 'message',
    payload,
    created_at: at(60 + index),
    updated_at: at(60 + index),
  });
}

/**
 * `listAgentRealtimeSignals`' 200 body for the signals session: the first `limit` signals after
 * `afterId` (ids from FIRST_LISTED_SIGNAL_ID, `total` of them in all) and the session.
 */
export function signalsPage(limit: number, afterId = 0, total = 1000) {
  const of = session(BENCH_SIGNALS_SESSION_ID - 9000);
  const first = Math.max(0, afterId - FIRST_LISTED_SIGNAL_ID + 1);
  const count = Math.max(0, Math.min(limit, total - first));
  return signalsBody(
    Array.from({ length: count }, (_, i) => listedSignal(first + i, of)),
    of,
  );
}
