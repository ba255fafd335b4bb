/*
 * What both baselines share with each other and with our gateway: the same query shape (type,
 * enum and field names) and the same output for the same upstream answer, so that the runner
 * can demand byte-for-byte equal bodies before it times anything.
 */
import type { WireSession } from '../../src/agentmc-wire.js';

/** Hand-written SDL, as a user would write it; only the part the benchmark query reads. */
export const typeDefs = /* GraphQL */ `
  scalar JSONObject

  enum RealtimeSessionStatus {
    REQUESTED
    CLAIMED
    ACTIVE
    CLOSED
    FAILED
    EXPIRED
  }

  type RealtimeSession {
    id: ID!
    teamId: ID!
    agentId: ID!
    requestedByUserId: ID
    status: RealtimeSessionStatus!
    claimedAt: String
    openedAt: String
    closedAt: String
    expiresAt: String
    lastBrowserHeartbeatAt: String
    lastAgentHeartbeatAt: String
    createdAt: String
    updatedAt: String
    meta: JSONObject
  }

  type Agent {
    requestedSessions(limit: Int = 20): [RealtimeSession!]!
  }

  type Query {
    agent: Agent
  }
`;

/** Our gateway's DateTime scalar prints UTC with milliseconds; match it so bodies compare equal. */
const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

/** snake_case REST session → the GraphQL object the SDL above describes. */
export function toGraphQLSession(session: WireSession) {
  return {
    id: session.id,
    teamId: session.team_id,
    agentId: session.agent_id,
    requestedByUserId: session.requested_by_user_id,
    status: session.status.toUpperCase(),
    claimedAt: iso(session.claimed_at),
    openedAt: iso(session.opened_at),
    closedAt: iso(session.closed_at),
    expiresAt: iso(session.expires_at),
    lastBrowserHeartbeatAt: iso(session.last_browser_heartbeat_at),
    lastAgentHeartbeatAt: iso(session.last_agent_heartbeat_at),
    createdAt: iso(session.created_at),
    updatedAt: iso(session.updated_at),
    meta: session.meta,
  };
}

/** The one line the runner waits for, in the same shape as our gateway's `listening` log. */
export function announce(url: string): void {
  process.stdout.write(`${JSON.stringify({ event: 'listening', url })}\n`);
}

/** Settings from the environment, as the runner passes them. */
export function settings() {
  const upstream = process.env.AGENTMC_API_URL;
  if (!upstream) throw new Error('AGENTMC_API_URL is required (e.g. http://127.0.0.1:4010/api/v1)');
  return {
    upstream: new URL(upstream.endsWith('/') ? upstream : `${upstream}/`),
    port: Number(process.env.PORT ?? 0),
    host: process.env.HOST ?? '127.0.0.1',
  };
}
