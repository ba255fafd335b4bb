/*
 * Sessions in the AgentMC wire format, written from the OpenAPI document's
 * `AgentRealtimeSession` schema: snake_case, integer ids, nullable timestamps.
 */

export const fullSession = {
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
  socket: {
    connection: {
      driver: 'reverb',
      key: 'app-key',
      cluster: 'eu',
      host: 'ws.example.test',
      port: 6001,
      scheme: 'wss',
      path: '/app',
    },
    channel: 'private-realtime-session.501',
    event: 'realtime.signal',
    auth_endpoint: 'https://agentmc.example/broadcasting/auth',
  },
  created_at: '2026-02-22T17:20:00Z',
  updated_at: '2026-02-22T17:25:01Z',
};

/** Every nullable field null, no socket block. */
export const sparseSession = {
  id: 502,
  team_id: 12,
  agent_id: 77,
  requested_by_user_id: null,
  status: 'expired',
  claimed_at: null,
  opened_at: null,
  closed_at: null,
  expires_at: null,
  last_browser_heartbeat_at: null,
  last_agent_heartbeat_at: null,
  meta: null,
  created_at: null,
  updated_at: null,
};

export function session(id: number, status = 'requested'): Record<string, unknown> {
  return { ...sparseSession, id, status };
}

export function sessionsPayload(sessions: Record<string, unknown>[] = [fullSession, sparseSession]): {
  data: Record<string, unknown>[];
} {
  return { data: sessions };
}

/** `GET /agents/instructions` as documented (`AgentInstructionsResponse`). */
export function instructionsPayload(agentId: number): Record<string, unknown> {
  return {
    ok: true,
    changed: true,
    bundle_version: 'bundle_2fa07fcadd6575cc',
    generated_at: '2026-02-25T14:10:00Z',
    defaults: { heartbeat_interval_seconds: 300 },
    agent: { id: agentId },
    files: [{ id: 'skill.md', path: '.agentmc/skills/skill.md', content: '# AgentMC\n', sha256: 'f96c95bd' }],
  };
}
