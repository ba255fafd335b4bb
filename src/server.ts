import { createServer, type Server } from 'node:http';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaLogger, type YogaServerInstance } from 'graphql-yoga';
import type { GatewayConfig } from './config.js';
import { createContext, type GatewayContext } from './context.js';
import { maskError } from './errors.js';
import { useRequestErrorCodes } from './plugins/use-request-error-codes.js';
import { schema } from './schema/index.js';
import { AgentMcClient } from './upstream/client.js';
import { GATEWAY_NAME, USER_AGENT } from './version.js';

export const GRAPHQL_PATH = '/graphql';

const exampleQuery = /* GraphQL */ `
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

export interface Gateway {
  yoga: YogaServerInstance<Record<string, never>, GatewayContext>;
  /** A node:http server around Yoga, not listening yet. */
  httpServer: Server;
  /** Releases the upstream pool; call after the HTTP server has stopped. */
  closeUpstream(): Promise<void>;
}

/**
 * Builds the whole gateway (upstream client, schema, context, Yoga) exactly as the process
 * runs it. It never listens: `main.ts` does, and tests listen on port 0.
 */
export function createGateway(config: GatewayConfig, upstreamUrl: URL, logger: YogaLogger): Gateway {
  const client = new AgentMcClient({
    baseUrl: upstreamUrl,
    timeouts: config.upstreamTimeouts,
    maxBodyBytes: config.upstreamMaxBodyBytes,
    userAgent: USER_AGENT,
    logger,
  });
  const yoga = createYoga<Record<string, never>, GatewayContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    logging: logger,
    landingPage: false,
    maskedErrors: { maskError },
    plugins: [useRequestErrorCodes()],
    context: (initial) => createContext(initial, { client, fallbackApiKey: config.fallbackApiKey }),
    // Served from the gateway itself: Yoga's default GraphiQL loads from a CDN.
    renderGraphiQL,
    graphiql: {
      title: `${GATEWAY_NAME} GraphiQL`,
      defaultTabs: [
        {
          query: exampleQuery,
          variables: JSON.stringify({ limit: 20 }, null, 2),
          headers: JSON.stringify({ 'X-Api-Key': 'mca_your_agent_key' }, null, 2),
        },
      ],
      headers: JSON.stringify({ 'X-Api-Key': 'mca_your_agent_key' }, null, 2),
      defaultEditorToolsVisibility: 'headers',
    },
  });
  return {
    yoga,
    httpServer: createServer(yoga),
    closeUpstream: () => client.close(),
  };
}
