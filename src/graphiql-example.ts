import { REQUESTED_SESSIONS_LIMIT } from './agentmc-wire.js';
import type { ApiGenerationSetting } from './settings.js';

/*
 * The document GraphiQL opens with: what a newcomer runs first, in the generation the gateway is
 * set to speak (`auto` is the hosts generation's, AgentMC's current one), then one session's
 * whole lifecycle, in the order to run it, with variables the embedded demo answers.
 */

/**
 * The order to run the operations in, right below the key hint. Plain template literals (no
 * GraphQL tag) from here on: the parts are put together, so a formatter must not re-indent them.
 */
const RUN_ORDER = `
  # One session from request to close: run these in order.
  # ▶ asks which operation to run (or put the cursor in one
  # and press Ctrl/Cmd+Enter). They share the Variables tab.
  #  1. RequestedSessions  what browsers have asked for
  #  2. ClaimSession       take session 1001
  #  3. LiveSignals        keep it running in a 2nd tab (+)
  #  4. SendSignal         opens the session; the demo's
  #                        browser answers a moment later
  #  5. Signals            the same signals, page by page
  #  6. CloseSession       end it (LiveSignals ends too)
`;

/** A signal's fields, one a line, at `indent` spaces. */
const signalFields = (indent: number) =>
  ['id', 'sender', 'type', 'payload', 'createdAt'].map((field) => `${' '.repeat(indent)}${field}`).join('\n');

/** The lifecycle's operations; `hosts` adds the agent (X-Agent-Id) and the claim's owner token. */
function lifecycle(hosts: boolean): string {
  const agentVariable = hosts ? '$agentId: ID, ' : '';
  const agentArgument = hosts ? 'agentId: $agentId, ' : '';
  const claimOwner = hosts
    ? `  # The ownerToken makes the claim yours: the same token again
  # succeeds, another one is a CONFLICT.
  mutation ClaimSession($agentId: ID, $sessionId: ID!, $ownerToken: String) {
    claimRealtimeSession(agentId: $agentId, sessionId: $sessionId, ownerToken: $ownerToken) {`
    : `  # This key becomes its owner: claiming again with it succeeds,
  # with another key it is a CONFLICT.
  mutation ClaimSession($sessionId: ID!) {
    claimRealtimeSession(sessionId: $sessionId) {`;
  return `
  # 2. Claim the session: REQUESTED becomes CLAIMED.
${claimOwner}
      id
      status
      claimedAt
      meta
    }
  }

  # 3. Every signal of the session as it arrives, in id order;
  # it ends when the session does.
  subscription LiveSignals(${agentVariable}$sessionId: ID!) {
    realtimeSignalAdded(${agentArgument}sessionId: $sessionId) {
${signalFields(6)}
    }
  }

  # 4. Send a signal to the browser. It reaches AgentMC at most
  # once, even after a timeout.
  mutation SendSignal(${agentVariable}$sessionId: ID!, $type: String!, $payload: JSON) {
    sendRealtimeSignal(${agentArgument}sessionId: $sessionId, type: $type, payload: $payload) {
${signalFields(6)}
      session {
        id
        status
        openedAt
      }
    }
  }

  # 5. The session's signals after afterId (none: from the
  # start); for the next page, set afterId to nextAfterId.
  query Signals(${agentVariable}$sessionId: ID!, $afterId: ID) {
    ${hosts ? 'agent(id: $agentId)' : 'agent'} {
      realtimeSignals(sessionId: $sessionId, afterId: $afterId) {
        signals {
${signalFields(10)}
        }
        nextAfterId
        hasMore
        session {
          id
          status
        }
      }
    }
  }

  # 6. End the session (CLOSED, or FAILED when it went wrong).
  mutation CloseSession(${agentVariable}$sessionId: ID!) {
    closeRealtimeSession(${agentArgument}sessionId: $sessionId, status: CLOSED, reason: "Done") {
      id
      status
      closedAt
    }
  }
`;
}

const agentsQuery = `
  # Realtime sessions that browsers have asked your agent to join.
  # Put your agent key (mca_…) in the Headers tab below.
${RUN_ORDER}
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
${lifecycle(false)}`;

const hostsQuery = `
  # Realtime sessions browsers asked your host's agents to join.
  # Put your host key (cc_…) in the Headers tab below. The
  # embedded demo takes any cc_ key; its agents: 42, 43, 44.
${RUN_ORDER}
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
${lifecycle(true)}`;

export interface GraphiqlExample {
  query: string;
  variables: string;
  headers: string;
}

/** What the lifecycle's operations send: session 1001 of the demo's agent 42, a chat message. */
const LIFECYCLE_VARIABLES = {
  sessionId: '1001',
  type: 'message',
  payload: { type: 'chat.agent', payload: { text: 'Hello from GraphiQL' } },
  afterId: null,
};

export function graphiqlExample(generation: ApiGenerationSetting): GraphiqlExample {
  const limit = REQUESTED_SESSIONS_LIMIT.default;
  return generation === 'agents'
    ? {
        query: agentsQuery,
        variables: JSON.stringify({ limit, ...LIFECYCLE_VARIABLES }, null, 2),
        headers: JSON.stringify({ 'X-Api-Key': 'mca_your_agent_key' }, null, 2),
      }
    : {
        query: hostsQuery,
        variables: JSON.stringify(
          { agentId: '42', limit, ...LIFECYCLE_VARIABLES, ownerToken: 'demo-owner-token-0001' },
          null,
          2,
        ),
        headers: JSON.stringify({ 'X-Api-Key': 'cc_your_host_key' }, null, 2),
      };
}
