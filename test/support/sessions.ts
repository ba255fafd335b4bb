/*
 * Sessions in the AgentMC wire format, built from the OpenAPI document's `AgentRealtimeSession`
 * schema (src/agentmc-wire.ts): snake_case, integer ids, nullable timestamps.
 */
import {
  requestedSessionsBody,
  wireInstructions,
  wireSession,
  wireSocket,
  type WireInstructions,
  type WireSession,
  type WireSocket,
} from '../../src/agentmc-wire.js';

/** Every field set, timestamps in several RFC 3339 spellings, and a socket block. */
export const fullSession = wireSession({
  id: 501,
  team_id: 12,
  agent_id: 77,
  requested_by_user_id: 9001,
  status: 'requested',
  claimed_at: '2026-02-22T17:21:00Z',
  opened_at: '2026-02-22T17:22:30.5Z',
  closed_at: '2026-02-22T18:00:00+02:00',
  expires_at: '2026-02-22T17:31:00Z',
  last_browser_heartbeat_at: '2026-02-22T17:25:00.123456Z',
  last_agent_heartbeat_at: '2026-02-22T17:25:01Z',
  meta: { page: '/dashboard', nested: { tabs: [1, 2] }, flag: true },
  socket: wireSocket(501, {
    connection: {
      driver: 'reverb',
      key: 'app-key',
      cluster: 'eu',
      host: 'ws.example.test',
      port: 6001,
      scheme: 'wss',
      path: '/app',
    },
  }),
  created_at: '2026-02-22T17:20:00Z',
  updated_at: '2026-02-22T17:25:01Z',
}) as WireSession & { socket: WireSocket };

/** Every nullable field null, no socket block. */
export const sparseSession = wireSession({ id: 502, team_id: 12, agent_id: 77, status: 'expired' });

export function session(id: number, status = 'requested'): WireSession {
  return { ...sparseSession, id, status };
}

export function sessionsPayload(sessions: WireSession[] = [fullSession, sparseSession]): {
  data: WireSession[];
} {
  return requestedSessionsBody(sessions);
}

/** `GET /agents/instructions` as documented (`AgentInstructionsResponse`). */
export function instructionsPayload(agentId: number): WireInstructions {
  return wireInstructions(agentId, {
    files: [{ id: 'skill.md', path: '.agentmc/skills/skill.md', content: '# AgentMC\n', sha256: 'f96c95bd' }],
  });
}

/** A sparse session of agent `agentId` (hosts generation: one host, several agents). */
export function agentSession(agentId: number, id: number, status = 'requested'): WireSession {
  return { ...sparseSession, id, agent_id: agentId, status };
}
