import { z } from 'zod';
import {
  apiBaseUrl,
  apiKey,
  flag,
  milliseconds,
  originList,
  redisUrl,
  trustedDocumentsFile,
  wholeNumber,
} from './environment-values.js';
import { API_GENERATION_SETTINGS, LOG_LEVELS, type GatewayConfig, type TracingMode } from './settings.js';

/*
 * Every setting, read from the environment once, validated together and frozen. Each problem
 * names its variable and what it expects; values are never echoed (one of them is a key).
 */

// The settings' types (settings.ts), importable from here too.
export type {
  GatewayConfig,
  LiveSettings,
  LogLevel,
  RequestLimits,
  TracingMode,
  UpstreamSettings,
} from './settings.js';

export const environmentSchema = z
  .object({
    /** @default "development" */
    NODE_ENV: z
      .enum(['development', 'production', 'test'], { error: 'expected development, production or test' })
      .default('development'),
    /** @default 4000 */
    PORT: wholeNumber(0, 65535, 'a port number', 4000),
    /** @default "127.0.0.1"; set 0.0.0.0 to listen on every interface (containers). */
    HOST: z.string().min(1, { error: 'expected a host name or IP address' }).default('127.0.0.1'),
    /** Base URL of the AgentMC API including `/api/v1`; unset starts the embedded demo upstream. */
    AGENTMC_API_URL: apiBaseUrl.optional(),
    /** @default "auto"; `hosts` or `agents` pins the AgentMC API generation instead of reading the server's document. */
    AGENTMC_API_GENERATION: z
      .enum(API_GENERATION_SETTINGS, { error: 'expected auto, hosts or agents' })
      .default('auto'),
    /** Used only when a caller sends no key: every such caller acts as this agent. */
    AGENTMC_API_KEY: apiKey.optional(),
    /** @default 3000; one deadline for the whole upstream call: connect, headers, body, retries. */
    UPSTREAM_TIMEOUT_MS: milliseconds(3000),
    /** @default 1000 */
    UPSTREAM_CONNECT_TIMEOUT_MS: milliseconds(1000),
    /** @default 3000 */
    UPSTREAM_HEADERS_TIMEOUT_MS: milliseconds(3000),
    /** @default 3000; the longest silence between two body chunks. */
    UPSTREAM_BODY_TIMEOUT_MS: milliseconds(3000),
    /** @default 1048576 (1 MiB) */
    UPSTREAM_MAX_BODY_BYTES: wholeNumber(1024, 64 * 1024 * 1024, 'bytes', 1024 * 1024),
    /** @default 3; attempts in all, the first included (1 turns retries off). */
    UPSTREAM_RETRY_ATTEMPTS: wholeNumber(1, 5, 'attempts', 3),
    /** @default 100; the first backoff's upper bound (full jitter, doubling each retry). */
    UPSTREAM_RETRY_BASE_MS: milliseconds(100),
    /** @default 1000; no backoff is longer than this. */
    UPSTREAM_RETRY_MAX_MS: milliseconds(1000),
    /** @default 4000; idle sockets close sooner than AgentMC would close them. */
    UPSTREAM_KEEP_ALIVE_MS: milliseconds(4000),
    /** @default 256; concurrent connections to AgentMC. */
    UPSTREAM_CONNECTIONS: wholeNumber(1, 10_000, 'connections', 256),
    /** @default 50; the breaker opens when this share of calls in the window failed… */
    BREAKER_ERROR_PERCENT: wholeNumber(1, 100, 'percent', 50),
    /** @default 10; …and at least this many calls were made in the window. */
    BREAKER_MIN_CALLS: wholeNumber(1, 10_000, 'calls', 10),
    /** @default 10000 */
    BREAKER_WINDOW_MS: milliseconds(10_000),
    /** @default 5000; how long it stays open before one probe call may pass. */
    BREAKER_RESET_MS: milliseconds(5000),
    /** @default 5000; how often a live subscription's poller asks AgentMC. */
    LIVE_POLL_INTERVAL_MS: milliseconds(5000),
    /** @default 1000; how often a `realtimeSignalAdded` poller asks for new signals once it has drained every page. */
    LIVE_SIGNALS_POLL_INTERVAL_MS: milliseconds(1000),
    /** @default 49152 (48 KiB, AgentMC's guidance for a websocket broadcast); larger signal payloads are refused, never split. */
    REALTIME_MAX_PAYLOAD_BYTES: wholeNumber(2, 1024 * 1024, 'bytes', 48 * 1024),
    /** @default 60000; the longest pause between polls while AgentMC keeps failing. */
    LIVE_MAX_BACKOFF_MS: milliseconds(60_000),
    /** @default 1000; live subscriptions open at once in all… */
    LIVE_MAX_SUBSCRIPTIONS: wholeNumber(1, 1_000_000, 'subscriptions', 1000),
    /** @default 20; …and per API key. */
    LIVE_MAX_SUBSCRIPTIONS_PER_KEY: wholeNumber(1, 100_000, 'subscriptions', 20),
    /**
     * @default unset: in-process. `redis://` or `rediss://` URL: live pollers are shared across
     * gateway replicas through this Redis (one replica polls per key and limit; see
     * src/live/redis-feed-bus.ts).
     */
    REDIS_URL: redisUrl.optional(),
    /** @default 5000; readiness reuses an upstream check this recent. */
    READY_CACHE_MS: milliseconds(5000),
    /** @default 1000000 */
    MAX_REQUEST_BYTES: wholeNumber(1024, 100_000_000, 'bytes', 1_000_000),
    /** @default 8 */
    MAX_DEPTH: wholeNumber(1, 100, 'levels', 8),
    /** @default 15 */
    MAX_ALIASES: wholeNumber(0, 1000, 'aliases', 15),
    /** @default 1000 */
    MAX_TOKENS: wholeNumber(10, 100_000, 'tokens', 1000),
    /** @default 50 */
    MAX_DIRECTIVES: wholeNumber(0, 1000, 'directives', 50),
    /** @default 5000 (graphql-armor's cost units) */
    MAX_COST: wholeNumber(1, 1_000_000, 'cost units', 5000),
    /** @default 0: batching off; N accepts batches of up to N operations. */
    BATCHING_LIMIT: wholeNumber(0, 100, 'operations', 0),
    /** @default true, except when NODE_ENV=production */
    GRAPHIQL: flag,
    /** @default true, except when NODE_ENV=production */
    INTROSPECTION: flag,
    /** @default true, except when NODE_ENV=production ("Did you mean …?") */
    FIELD_SUGGESTIONS: flag,
    /**
     * Path of a persisted-documents manifest (`{ "<sha256>": "query …" }`, as GraphQL Code
     * Generator's client preset emits it). When set, only those documents are executed.
     */
    TRUSTED_DOCUMENTS: trustedDocumentsFile.optional(),
    /** Standard OpenTelemetry switches: tracing is on when an exporter or endpoint is named. */
    OTEL_SDK_DISABLED: flag,
    OTEL_TRACES_EXPORTER: z
      .enum(['otlp', 'console', 'none'], { error: 'expected otlp, console or none' })
      .optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ error: 'expected an http(s) URL' }).optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ error: 'expected an http(s) URL' }).optional(),
    /** Comma-separated origins allowed to call from a browser; unset: same origin only. */
    CORS_ORIGINS: originList.optional(),
    /** @default "info" */
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: 'expected debug, info, warn, error or silent' }).default('info'),
    /** @default 10000; how long shutdown waits for in-flight requests. */
    SHUTDOWN_TIMEOUT_MS: milliseconds(10_000),
    /**
     * @default 65000; how long an idle client connection stays open. Longer than the idle timeout
     * of the usual load balancers (60 s), so they, not the gateway, close the connections they pool.
     */
    HTTP_KEEP_ALIVE_MS: milliseconds(65_000),
  })
  .superRefine((env, context) => {
    if (env.NODE_ENV === 'production' && env.AGENTMC_API_URL === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['AGENTMC_API_URL'],
        message: 'required when NODE_ENV=production (the embedded demo upstream is for development only)',
      });
    }
  });

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads every setting; throws one ConfigError listing every problem. */
export function loadConfig(environment: NodeJS.ProcessEnv): GatewayConfig {
  const names = Object.keys(environmentSchema.shape);
  // An empty variable is a mistake to report, not a reason to fall back to a default.
  const empty = names.filter((name) => environment[name] === '');
  const known = Object.fromEntries(
    names.filter((name) => environment[name] !== '').map((name) => [name, environment[name]]),
  );
  const parsed = environmentSchema.safeParse(known);
  const problems = [
    ...empty.map((name) => `${name} is set but empty; unset it or give it a value`),
    ...(parsed.error?.issues ?? [])
      .map((issue) => ({ name: String(issue.path[0] ?? 'environment'), message: issue.message }))
      .filter(({ name }) => !empty.includes(name))
      .map(({ name, message }) => `${name}: ${message}`),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const env = parsed.data;
  const development = env.NODE_ENV !== 'production';
  return deepFreeze({
    environment: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    upstreamUrl: env.AGENTMC_API_URL === undefined ? undefined : new URL(env.AGENTMC_API_URL),
    fallbackApiKey: env.AGENTMC_API_KEY,
    apiGeneration: env.AGENTMC_API_GENERATION,
    upstream: {
      timeouts: {
        totalMs: env.UPSTREAM_TIMEOUT_MS,
        connectMs: env.UPSTREAM_CONNECT_TIMEOUT_MS,
        headersMs: env.UPSTREAM_HEADERS_TIMEOUT_MS,
        bodyMs: env.UPSTREAM_BODY_TIMEOUT_MS,
      },
      maxBodyBytes: env.UPSTREAM_MAX_BODY_BYTES,
      retry: {
        attempts: env.UPSTREAM_RETRY_ATTEMPTS,
        baseDelayMs: env.UPSTREAM_RETRY_BASE_MS,
        maxDelayMs: env.UPSTREAM_RETRY_MAX_MS,
      },
      keepAliveMs: env.UPSTREAM_KEEP_ALIVE_MS,
      connections: env.UPSTREAM_CONNECTIONS,
      breaker: {
        errorPercent: env.BREAKER_ERROR_PERCENT,
        minCalls: env.BREAKER_MIN_CALLS,
        windowMs: env.BREAKER_WINDOW_MS,
        resetMs: env.BREAKER_RESET_MS,
      },
      readyCacheMs: env.READY_CACHE_MS,
    },
    realtime: { maxPayloadBytes: env.REALTIME_MAX_PAYLOAD_BYTES },
    limits: {
      maxRequestBytes: env.MAX_REQUEST_BYTES,
      maxDepth: env.MAX_DEPTH,
      maxAliases: env.MAX_ALIASES,
      maxTokens: env.MAX_TOKENS,
      maxDirectives: env.MAX_DIRECTIVES,
      maxCost: env.MAX_COST,
      batchingLimit: env.BATCHING_LIMIT,
    },
    live: {
      intervalMs: env.LIVE_POLL_INTERVAL_MS,
      signalsIntervalMs: env.LIVE_SIGNALS_POLL_INTERVAL_MS,
      maxBackoffMs: env.LIVE_MAX_BACKOFF_MS,
      maxSubscriptions: env.LIVE_MAX_SUBSCRIPTIONS,
      maxSubscriptionsPerKey: env.LIVE_MAX_SUBSCRIPTIONS_PER_KEY,
      redisUrl: env.REDIS_URL,
    },
    graphiql: env.GRAPHIQL ?? development,
    introspection: env.INTROSPECTION ?? development,
    fieldSuggestions: env.FIELD_SUGGESTIONS ?? development,
    corsOrigins: env.CORS_ORIGINS ?? [],
    trustedDocuments: env.TRUSTED_DOCUMENTS,
    tracing: tracingMode(env),
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    keepAliveMs: env.HTTP_KEEP_ALIVE_MS,
  });
}

function tracingMode(env: {
  OTEL_SDK_DISABLED?: boolean;
  OTEL_TRACES_EXPORTER?: 'otlp' | 'console' | 'none';
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
}): TracingMode {
  if (env.OTEL_SDK_DISABLED || env.OTEL_TRACES_EXPORTER === 'none') return 'off';
  if (env.OTEL_TRACES_EXPORTER !== undefined) return env.OTEL_TRACES_EXPORTER;
  return env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : 'off';
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !(value instanceof URL) && !(value instanceof Map)) {
    for (const nested of Object.values(value)) deepFreeze(nested);
    Object.freeze(value);
  }
  return value;
}
