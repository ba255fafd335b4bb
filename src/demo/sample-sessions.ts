import {
  wireInstructions,
  wireSession,
  wireSocket,
  type WireInstructions,
  type WireSession,
} from '../agentmc-wire.js';

/** The agents generation's demo agent, also the first agent of the hosts generation's demo host. */
export const DEMO_AGENT_ID = 42;
export const DEMO_TEAM_ID = 7;

/**
 * Realistic sample data in the AgentMC wire format (snake_case), for the demo upstream only:
 * every status, null timestamps and users, meta objects and one socket block.
 */
export function sampleSessions(now = Date.now()): WireSession[] {
  const at = (minutesFromNow: number) => new Date(now + minutesFromNow * 60_000).toISOString();
  const demo = (fields: Partial<WireSession>) =>
    wireSession({ team_id: DEMO_TEAM_ID, agent_id: DEMO_AGENT_ID, ...fields });
  return [
    demo({
      id: 1001,
      requested_by_user_id: 311,
      status: 'requested',
      expires_at: at(10),
      last_browser_heartbeat_at: at(-0.2),
      meta: { page: '/dashboard', locale: 'en-GB' },
      socket: wireSocket(1001, {
        connection: {
          driver: 'reverb',
          key: 'demo-app-key',
          cluster: 'eu',
          host: 'ws.agentmc.example',
          port: 443,
          scheme: 'https',
          path: '/app',
        },
      }),
      created_at: at(-1),
      updated_at: at(-0.2),
    }),
    demo({
      id: 1002,
      status: 'requested',
      expires_at: at(9),
      created_at: at(-2),
      updated_at: at(-2),
    }),
    demo({
      id: 998,
      requested_by_user_id: 311,
      status: 'claimed',
      claimed_at: at(-3),
      expires_at: at(7),
      last_browser_heartbeat_at: at(-0.5),
      last_agent_heartbeat_at: at(-0.4),
      meta: { page: '/tickets/5512' },
      created_at: at(-4),
      updated_at: at(-3),
    }),
    demo({
      id: 990,
      requested_by_user_id: 204,
      status: 'active',
      claimed_at: at(-12),
      opened_at: at(-11),
      last_browser_heartbeat_at: at(-0.1),
      last_agent_heartbeat_at: at(-0.1),
      meta: { page: '/reports', shared_screen: true },
      created_at: at(-13),
      updated_at: at(-0.1),
    }),
    demo({
      id: 975,
      requested_by_user_id: 204,
      status: 'closed',
      claimed_at: at(-60),
      opened_at: at(-59),
      closed_at: at(-30),
      last_browser_heartbeat_at: at(-30),
      last_agent_heartbeat_at: at(-30),
      meta: {},
      created_at: at(-61),
      updated_at: at(-30),
    }),
    demo({
      id: 961,
      requested_by_user_id: 311,
      status: 'failed',
      claimed_at: at(-90),
      closed_at: at(-89),
      last_browser_heartbeat_at: at(-90),
      meta: { failure: 'agent_unreachable' },
      created_at: at(-91),
      updated_at: at(-89),
    }),
    demo({
      id: 950,
      requested_by_user_id: 118,
      status: 'expired',
      expires_at: at(-110),
      last_browser_heartbeat_at: at(-118),
      created_at: at(-120),
      updated_at: at(-110),
    }),
  ];
}

/** `GET /agents/instructions` for the demo agent: its identity and an empty bundle. */
export function demoInstructions(): WireInstructions {
  return wireInstructions(DEMO_AGENT_ID, {
    bundle_version: 'bundle_demo',
    generated_at: new Date().toISOString(),
  });
}
