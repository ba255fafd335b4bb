import { createServer, type Server } from 'node:http';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { getOperationAST, GraphQLError, type ValidationContext } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { GatewayConfig } from './settings.js';
import { createContext, type GatewayContext } from './context.js';
import { maskError } from './errors.js';
import { yogaLogger, type Logger } from './logger.js';
import { GatewayMetrics } from './metrics.js';
import { useCachedValidation } from './plugins/use-cached-validation.js';
import { useIntrospectionRefused } from './plugins/use-introspection-refused.js';
import { useMetricsEndpoint } from './plugins/use-metrics-endpoint.js';
import { useOperationMetrics } from './plugins/use-operation-metrics.js';
import { useOperationTracing } from './plugins/use-operation-tracing.js';
import { useReadiness } from './plugins/use-readiness.js';
import { useRequestId } from './plugins/use-request-id.js';
import { useRequestErrorCodes } from './plugins/use-request-error-codes.js';
import { RedisFeedBus } from './live/redis-feed-bus.js';
import { RequestedSessionsFeeds } from './live/requested-sessions-feed.js';
import { RedisSignalBus } from './live/signal-redis-bus.js';
import { SignalFeeds } from './live/signals-feed.js';
import { createReadinessCheck } from './readiness.js';
import { withRequestBodyLimit } from './request-body-limit.js';
import { withJsonLane } from './json-lane.js';
import { schema } from './schema/index.js';
import { AgentMcClient } from './upstream/client.js';
import { GATEWAY_NAME, USER_AGENT } from './version.js';
import { graphiqlExample } from './graphiql-example.js';
import { trustedDocumentsOnly } from './trusted-documents.js';
import { attachWebSocketServer } from './websocket.js';

export const GRAPHQL_PATH = '/graphql';

/**
 * graphql-armor throws its refusals by default, which reach clients without a code; reported
 * as validation errors instead, they carry GRAPHQL_VALIDATION_FAILED like any invalid document.
 */
const reportAsValidationError = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

export interface Gateway {
  yoga: YogaServerInstance<Record<string, never>, GatewayContext>;
  /** A node:http server around Yoga, not listening yet. */
  httpServer: Server;
  client: AgentMcClient;
  metrics: GatewayMetrics;
  feeds: RequestedSessionsFeeds;
  signalFeeds: SignalFeeds;
  /** Ends live subscriptions and the WebSocket server, so the HTTP server can close promptly. */
  stopLive(): Promise<void>;
  /** Releases the upstream pool; call after the HTTP server has stopped. */
  closeUpstream(): Promise<void>;
}

/**
 * Builds the whole gateway (upstream client, schema, context, Yoga and its plugins) exactly as
 * the process runs it. It never listens: `main.ts` does, and tests listen on port 0.
 */
export function createGateway(config: GatewayConfig, upstreamUrl: URL, logger: Logger): Gateway {
  // The gauge of the circuit reads the client's breaker, which exists by the time it is scraped.
  const metrics = new GatewayMetrics(() => client.circuitState);
  const client: AgentMcClient = new AgentMcClient({
    baseUrl: upstreamUrl,
    apiGeneration: config.apiGeneration,
    settings: config.upstream,
    userAgent: USER_AGENT,
    logger,
    metrics,
  });
  // With REDIS_URL, one replica polls per (key, limit) for all replicas; a lock outlives its
  // holder's next planned poll by two intervals and one upstream deadline (the takeover time).
  const feedBus =
    config.live.redisUrl === undefined
      ? undefined
      : new RedisFeedBus({
          url: config.live.redisUrl,
          lockTtlMs: 2 * config.live.intervalMs + config.upstream.timeouts.totalMs,
          logger,
          metrics,
        });
  // Never awaited: calls made before the document is read wait for it (within one deadline).
  void client.detectApiGeneration();
  const feeds = new RequestedSessionsFeeds(client, config.live, logger, feedBus);
  // One budget of subscriptions for both kinds of feed; the signals bus shares feedBus's connections.
  const signalFeeds = new SignalFeeds(
    client,
    { intervalMs: config.live.signalsIntervalMs, maxBackoffMs: config.live.maxBackoffMs },
    feeds.caps,
    logger,
    feedBus &&
      new RedisSignalBus(feedBus, {
        lockTtlMs: 2 * config.live.signalsIntervalMs + config.upstream.timeouts.totalMs,
        logger,
      }),
  );
  const { limits } = config;
  const example = graphiqlExample(config.apiGeneration);
  const allowedOrigins = new Set(config.corsOrigins);
  const yoga = createYoga<Record<string, never>, GatewayContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    logging: yogaLogger(logger),
    landingPage: false,
    maskedErrors: { maskError },
    // Enforced before Yoga, on Content-Length (see withRequestBodyLimit).
    maxRequestBodySize: false,
    // Validation results are cached per document by useCachedValidation, behind all the guards.
    parserAndValidationCache: { validationCache: false },
    batching: limits.batchingLimit > 0 ? { limit: limits.batchingLimit } : false,
    // The key travels in a header, never a cookie: cross-origin reads need an allowlisted origin;
    // any other origin gets no CORS headers at all.
    cors: (request) => {
      const origin = request.headers.get('origin');
      return origin !== null && allowedOrigins.has(origin)
        ? {
            origin,
            credentials: false,
            methods: ['GET', 'POST'],
            allowedHeaders: ['content-type', 'x-api-key', 'authorization'],
          }
        : false;
    },
    context: (initial) =>
      createContext(initial, {
        client,
        feeds,
        signalFeeds,
        limits: config.realtime,
        fallbackApiKey: config.fallbackApiKey,
      }),
    plugins: [
      useRequestId(),
      useMetricsEndpoint(metrics),
      ...(config.trustedDocuments ? [trustedDocumentsOnly(config.trustedDocuments)] : []),
      // Compiles each query once into plain JavaScript for execution and serialisation.
      // Subscriptions and mutations stay with graphql-js: graphql-jit loses subscriptions'
      // argument errors, and reads a JSON literal without its variables (`payload: { text: $t }`
      // became `{}`), which for a mutation is data lost.
      useGraphQlJit(
        {},
        {
          enableIf: ({ document, operationName }) =>
            getOperationAST(document, operationName)?.operation === 'query',
        },
      ),
      useOperationMetrics(metrics),
      ...(config.tracing === 'off' ? [] : [useOperationTracing()]),
      useRequestErrorCodes(),
      // Documents too deep, wide or costly are refused during validation, before any upstream call.
      maxTokensPlugin({ n: limits.maxTokens }) as Plugin,
      useCachedValidation([
        maxDepthPlugin({ n: limits.maxDepth, ...reportAsValidationError }) as Plugin,
        maxAliasesPlugin({ n: limits.maxAliases, ...reportAsValidationError }) as Plugin,
        maxDirectivesPlugin({ n: limits.maxDirectives, ...reportAsValidationError }) as Plugin,
        costLimitPlugin({ maxCost: limits.maxCost, ...reportAsValidationError }) as Plugin,
        ...(config.introspection ? [] : [useIntrospectionRefused()]),
        ...(config.fieldSuggestions ? [] : [blockFieldSuggestionsPlugin() as Plugin]),
      ]),
      useReadiness(createReadinessCheck(client, config.upstream.readyCacheMs), () => ({
        circuit: client.circuitState,
        apiGeneration: { ...client.apiGeneration, generation: client.apiGeneration.generation ?? null },
        // Degraded (Redis unreachable, each replica polls for its own subscribers) is still ready.
        live: { redis: feedBus === undefined ? 'off' : feedBus.health.mode },
      })),
    ],
    // Served from the gateway itself (Yoga's default loads from a CDN), and loaded only when
    // first asked for: the inlined bundle holds about 33 MB of heap a production server never needs.
    renderGraphiQL: async (options) =>
      (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    graphiql: config.graphiql && {
      title: `${GATEWAY_NAME} GraphiQL`,
      // GraphiQL 5 takes the first tab's variables only from this prop (not in Yoga's types).
      ...({ initialVariables: example.variables } as object),
      defaultTabs: [
        {
          query: example.query,
          variables: example.variables,
          headers: example.headers,
        },
      ],
      headers: example.headers,
      defaultEditorToolsVisibility: 'headers',
    },
  });
  const httpServer = createServer(
    // Node's default (5 s) closed idle clients' connections in batches under steady traffic,
    // and each batch of closes stalled the event loop for ~20 ms (the fixed-rate p99 of the bench).
    { keepAliveTimeout: config.keepAliveMs },
    withRequestBodyLimit(
      withJsonLane(yoga, {
        yoga,
        graphqlPath: GRAPHQL_PATH,
        metrics,
        logger,
        trustedDocuments: config.trustedDocuments,
      }),
      limits.maxRequestBytes,
    ),
  );
  const webSocket = attachWebSocketServer(httpServer, yoga, GRAPHQL_PATH, config.trustedDocuments);
  return {
    yoga,
    httpServer,
    client,
    metrics,
    feeds,
    signalFeeds,
    stopLive: async () => {
      feeds.close();
      signalFeeds.close();
      await Promise.all([webSocket.close(), feedBus?.close()]);
    },
    closeUpstream: () => client.close(),
  };
}
