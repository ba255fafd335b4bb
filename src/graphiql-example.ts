import { REQUESTED_SESSIONS_LIMIT } from './agentmc-wire.js';
import type { ApiGenerationSetting } from './settings.js';

/*
 * The document GraphiQL opens with: what a newcomer runs first, in the generation the gateway is
 * set to speak (`auto` is the hosts generation's, AgentMC's current one).
 */

const agentsQuery = /* GraphQL */ `
  # Realtime sessions that browsers have asked your agent to join.
  # Put your agent key (mca_…) in the Headers tab below, then press ▶.
  query RequestedSessions($limit: Int) {
    agent {
      requestedSessions(limit: $limit) {
        id
        status
        requestedByUserId
        expiresAt
        meta
        socket {
          channel
          event
        }
      }
    }
  }
`;

const hostsQuery = /* GraphQL */ `
  # Realtime sessions that browsers have asked your host's agents to join.
  # Put your host key (cc_…) in the Headers tab below, then press ▶.
  # The embedded demo accepts any cc_ key; its agents are 42, 43 and 44.
  query RequestedSessions($agentId: ID, $limit: Int) {
    # One agent's list: the id goes upstream as X-Agent-Id.
    agent(id: $agentId) {
      id
      requestedSessions(limit: $limit) {
        id
        status
        requestedByUserId
        expiresAt
        socket {
          channel
          event
        }
      }
    }
    # Every agent of the host, claimed and active sessions too (for recovery).
    host {
      requestedSessions(limit: $limit) {
        id
        agent {
          id
        }
        status
        expiresAt
      }
    }
  }
`;

export interface GraphiqlExample {
  query: string;
  variables: string;
  headers: string;
}

export function graphiqlExample(generation: ApiGenerationSetting): GraphiqlExample {
  const limit = REQUESTED_SESSIONS_LIMIT.default;
  return generation === 'agents'
    ? {
        query: agentsQuery,
        variables: JSON.stringify({ limit }, null, 2),
        headers: JSON.stringify({ 'X-Api-Key': 'mca_your_agent_key' }, null, 2),
      }
    : {
        query: hostsQuery,
        variables: JSON.stringify({ agentId: '42', limit }, null, 2),
        headers: JSON.stringify({ 'X-Api-Key': 'cc_your_host_key' }, null, 2),
      };
}
