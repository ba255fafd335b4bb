import { wireInstructions, wireSession, wireSocket, type WireSession } from '../agentmc-wire.js';
import type { HostsApi } from './hosts-api.js';
import { DEMO_AGENT_ID, DEMO_TEAM_ID, sampleSessions } from './sample-sessions.js';

/** The demo host's agents: 42 is the agents generation's demo agent, with the same sessions. */
export const DEMO_HOST_AGENT_IDS = [DEMO_AGENT_ID, 43, 44] as const;

/**
 * Sample data for the hosts generation: one host, three agents, each with sessions of its own.
 * An agent's list (`X-Agent-Id`) holds its requested sessions, each with a socket block; the list
 * without an agent holds every session of every agent, claimed and active ones included.
 */
export function sampleHost(now = Date.now()): Omit<HostsApi, 'documentPaths'> {
  const at = (minutesFromNow: number) => new Date(now + minutesFromNow * 60_000).toISOString();
  const byAgent = new Map<number, WireSession[]>([
    [DEMO_AGENT_ID, sampleSessions(now)],
    [
      43,
      [
        wireSession({
          id: 1101,
          team_id: DEMO_TEAM_ID,
          agent_id: 43,
          requested_by_user_id: 204,
          status: 'requested',
          expires_at: at(8),
          last_browser_heartbeat_at: at(-0.3),
          meta: { page: '/billing/invoices', locale: 'de-DE' },
          created_at: at(-2),
          updated_at: at(-0.3),
        }),
        wireSession({
          id: 1096,
          team_id: DEMO_TEAM_ID,
          agent_id: 43,
          requested_by_user_id: 118,
          status: 'active',
          claimed_at: at(-6),
          opened_at: at(-5),
          last_browser_heartbeat_at: at(-0.2),
          last_agent_heartbeat_at: at(-0.1),
          meta: { page: '/billing', shared_screen: false },
          created_at: at(-7),
          updated_at: at(-0.1),
        }),
        wireSession({
          id: 1090,
          team_id: DEMO_TEAM_ID,
          agent_id: 43,
          status: 'expired',
          expires_at: at(-20),
          created_at: at(-30),
          updated_at: at(-20),
        }),
      ],
    ],
    [
      44,
      [
        wireSession({
          id: 1201,
          team_id: DEMO_TEAM_ID,
          agent_id: 44,
          status: 'requested',
          expires_at: at(10),
          created_at: at(-0.5),
          updated_at: at(-0.5),
        }),
        wireSession({
          id: 1195,
          team_id: DEMO_TEAM_ID,
          agent_id: 44,
          requested_by_user_id: 311,
          status: 'claimed',
          claimed_at: at(-1),
          expires_at: at(9),
          last_browser_heartbeat_at: at(-0.4),
          last_agent_heartbeat_at: at(-0.6),
          meta: null,
          created_at: at(-2),
          updated_at: at(-1),
        }),
      ],
    ],
  ]);
  // Every requested session can be joined: each carries its socket block, in both lists.
  const joinable = (session: WireSession): WireSession =>
    session.status === 'requested' && session.socket === undefined
      ? wireSession({ ...session, socket: wireSocket(session.id) })
      : session;
  const sessions = new Map([...byAgent].map(([agentId, list]) => [agentId, list.map(joinable)]));
  return {
    agents: new Map(
      [...sessions].map(([agentId, list]) => [agentId, list.filter((s) => s.status === 'requested')]),
    ),
    hostWide: [...sessions.values()].flat(),
    instructions: (agentId) =>
      wireInstructions(agentId, { bundle_version: 'bundle_demo', generated_at: new Date(now).toISOString() }),
  };
}
