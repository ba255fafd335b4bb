/*
 * The settings the gateway runs with, as `loadConfig` (config.ts) makes them from the
 * environment: typed, validated and frozen.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type TracingMode = 'otlp' | 'console' | 'off';
/** Which AgentMC API generation to speak; `auto` reads the server's published document. */
export const API_GENERATION_SETTINGS = ['auto', 'hosts', 'agents'] as const;
export type ApiGenerationSetting = (typeof API_GENERATION_SETTINGS)[number];

export interface UpstreamSettings {
  readonly timeouts: Readonly<{ totalMs: number; connectMs: number; headersMs: number; bodyMs: number }>;
  readonly maxBodyBytes: number;
  readonly retry: Readonly<{ attempts: number; baseDelayMs: number; maxDelayMs: number }>;
  readonly keepAliveMs: number;
  readonly connections: number;
  readonly breaker: Readonly<{ errorPercent: number; minCalls: number; windowMs: number; resetMs: number }>;
  readonly readyCacheMs: number;
}

export interface LiveSettings {
  readonly intervalMs: number;
  /** How often a signals poller asks again once it has drained every full page. */
  readonly signalsIntervalMs: number;
  readonly maxBackoffMs: number;
  readonly maxSubscriptions: number;
  readonly maxSubscriptionsPerKey: number;
  /** Undefined: pollers stay in-process; else they are shared across replicas through Redis. */
  readonly redisUrl?: string | undefined;
}

export interface RequestLimits {
  readonly maxRequestBytes: number;
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxTokens: number;
  readonly maxDirectives: number;
  readonly maxCost: number;
  readonly batchingLimit: number;
}

export interface GatewayConfig {
  readonly environment: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  /** Undefined means: start the embedded demo upstream. */
  readonly upstreamUrl: URL | undefined;
  readonly fallbackApiKey: string | undefined;
  readonly apiGeneration: ApiGenerationSetting;
  readonly upstream: UpstreamSettings;
  readonly limits: RequestLimits;
  /** The session lifecycle's own limits. */
  readonly realtime: Readonly<{ maxPayloadBytes: number }>;
  readonly live: LiveSettings;
  readonly graphiql: boolean;
  readonly introspection: boolean;
  readonly fieldSuggestions: boolean;
  /** Origins allowed to call from a browser; empty: same origin only. */
  readonly corsOrigins: readonly string[];
  /** Hash → document; when set, only these documents are executed. */
  readonly trustedDocuments: ReadonlyMap<string, string> | undefined;
  readonly tracing: TracingMode;
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutMs: number;
  /** Idle keep-alive connections of clients are closed after this long. */
  readonly keepAliveMs: number;
}
