import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { problemsOf } from './support/config-problems.js';

describe('loadConfig', () => {
  it('has defaults that need nothing set', () => {
    const config = loadConfig({});

    expect(config).toEqual({
      environment: 'development',
      port: 4000,
      host: '127.0.0.1',
      upstreamUrl: undefined,
      fallbackApiKey: undefined,
      apiGeneration: 'auto',
      upstream: {
        timeouts: { totalMs: 3000, connectMs: 1000, headersMs: 3000, bodyMs: 3000 },
        maxBodyBytes: 1_048_576,
        retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
        keepAliveMs: 4000,
        connections: 256,
        breaker: { errorPercent: 50, minCalls: 10, windowMs: 10_000, resetMs: 5000 },
        readyCacheMs: 5000,
      },
      realtime: { maxPayloadBytes: 49_152 },
      limits: {
        maxRequestBytes: 1_000_000,
        maxDepth: 8,
        maxAliases: 15,
        maxTokens: 1000,
        maxDirectives: 50,
        maxCost: 5000,
        batchingLimit: 0,
      },
      live: {
        intervalMs: 5000,
        signalsIntervalMs: 1000,
        maxBackoffMs: 60_000,
        maxSubscriptions: 1000,
        maxSubscriptionsPerKey: 20,
      },
      graphiql: true,
      introspection: true,
      fieldSuggestions: true,
      corsOrigins: [],
      trustedDocuments: undefined,
      tracing: 'off',
      logLevel: 'info',
      shutdownTimeoutMs: 10_000,
      keepAliveMs: 65_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.upstream.timeouts)).toBe(true);
  });

  it('turns GraphiQL, introspection and field suggestions off in production unless enabled', () => {
    const production = { NODE_ENV: 'production', AGENTMC_API_URL: 'https://agentmc.ai/api/v1' };

    expect(loadConfig(production)).toMatchObject({
      graphiql: false,
      introspection: false,
      fieldSuggestions: false,
    });
    expect(
      loadConfig({ ...production, GRAPHIQL: 'true', INTROSPECTION: '1', FIELD_SUGGESTIONS: 'yes' }),
    ).toMatchObject({ graphiql: true, introspection: true, fieldSuggestions: true });
    expect(loadConfig({ GRAPHIQL: 'false' }).graphiql).toBe(false);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '0.0.0.0',
      AGENTMC_API_URL: 'https://agentmc.ai/api/v1',
      AGENTMC_API_KEY: 'mca_server_key',
      UPSTREAM_TIMEOUT_MS: '2000',
      UPSTREAM_CONNECT_TIMEOUT_MS: '250',
      UPSTREAM_HEADERS_TIMEOUT_MS: '1500',
      UPSTREAM_BODY_TIMEOUT_MS: '2500',
      UPSTREAM_MAX_BODY_BYTES: '2048',
      UPSTREAM_RETRY_ATTEMPTS: '2',
      UPSTREAM_RETRY_BASE_MS: '50',
      UPSTREAM_RETRY_MAX_MS: '400',
      UPSTREAM_KEEP_ALIVE_MS: '1000',
      UPSTREAM_CONNECTIONS: '64',
      BREAKER_ERROR_PERCENT: '75',
      BREAKER_MIN_CALLS: '20',
      BREAKER_WINDOW_MS: '30000',
      BREAKER_RESET_MS: '2000',
      READY_CACHE_MS: '1000',
      MAX_REQUEST_BYTES: '20000',
      MAX_DEPTH: '5',
      MAX_ALIASES: '3',
      MAX_TOKENS: '300',
      MAX_DIRECTIVES: '4',
      MAX_COST: '100',
      BATCHING_LIMIT: '5',
      GRAPHIQL: 'true',
      INTROSPECTION: 'false',
      FIELD_SUGGESTIONS: 'no',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      LOG_LEVEL: 'warn',
      SHUTDOWN_TIMEOUT_MS: '3000',
      HTTP_KEEP_ALIVE_MS: '30000',
    });

    expect(config.upstreamUrl?.href).toBe('https://agentmc.ai/api/v1');
    expect(config).toMatchObject({
      environment: 'production',
      port: 8080,
      host: '0.0.0.0',
      fallbackApiKey: 'mca_server_key',
      upstream: {
        timeouts: { totalMs: 2000, connectMs: 250, headersMs: 1500, bodyMs: 2500 },
        maxBodyBytes: 2048,
        retry: { attempts: 2, baseDelayMs: 50, maxDelayMs: 400 },
        keepAliveMs: 1000,
        connections: 64,
        breaker: { errorPercent: 75, minCalls: 20, windowMs: 30_000, resetMs: 2000 },
        readyCacheMs: 1000,
      },
      limits: {
        maxRequestBytes: 20_000,
        maxDepth: 5,
        maxAliases: 3,
        maxTokens: 300,
        maxDirectives: 4,
        maxCost: 100,
        batchingLimit: 5,
      },
      graphiql: true,
      introspection: false,
      fieldSuggestions: false,
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
      logLevel: 'warn',
      shutdownTimeoutMs: 3000,
      keepAliveMs: 30_000,
    });
  });

  it('lists every problem at once, each naming its variable and what it expects', () => {
    expect(
      problemsOf({
        PORT: 'eighty',
        AGENTMC_API_URL: 'ftp://agentmc.ai/api/v1',
        UPSTREAM_HEADERS_TIMEOUT_MS: '-5',
        LOG_LEVEL: 'loud',
      }),
    ).toEqual([
      'PORT: expected a port number from 0 to 65535',
      'AGENTMC_API_URL: expected an http(s) URL such as https://agentmc.ai/api/v1',
      'UPSTREAM_HEADERS_TIMEOUT_MS: expected milliseconds from 1 to 600000',
      'LOG_LEVEL: expected debug, info, warn, error or silent',
    ]);
  });

  it('turns tracing on with the standard OTEL variables', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toBe('otlp');
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'console' }).tracing).toBe('console');
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracing,
    ).toBe('off');
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'none' }).tracing).toBe('off');
  });

  it('reads a trusted documents manifest, and refuses one that is not', () => {
    const manifest = new URL('../examples/generated/persisted-documents.json', import.meta.url).pathname;

    const documents = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>;

    expect(loadConfig({ TRUSTED_DOCUMENTS: manifest }).trustedDocuments).toEqual(
      new Map(Object.entries(documents)),
    );
    expect(problemsOf({ TRUSTED_DOCUMENTS: '/nonexistent/manifest.json' })).toEqual([
      'TRUSTED_DOCUMENTS: expected a readable JSON file of persisted documents',
    ]);
    expect(problemsOf({ TRUSTED_DOCUMENTS: new URL('../package.json', import.meta.url).pathname })).toEqual([
      'TRUSTED_DOCUMENTS: expected an object mapping document hashes to GraphQL documents',
    ]);
  });

  it('refuses malformed flags and origins', () => {
    expect(problemsOf({ GRAPHIQL: 'maybe', CORS_ORIGINS: 'https://app.example.com/path, *' })).toEqual([
      'GRAPHIQL: expected true or false',
      'CORS_ORIGINS: expected comma-separated origins such as https://app.example.com',
    ]);
  });

  it('refuses an AGENTMC_API_URL that is not a URL with one clear problem', () => {
    expect(problemsOf({ AGENTMC_API_URL: 'agentmc.ai/api/v1' })).toEqual([
      'AGENTMC_API_URL: expected an http(s) URL such as https://agentmc.ai/api/v1',
    ]);
  });

  it('tells a variable set but empty from one unset', () => {
    expect(problemsOf({ PORT: '', AGENTMC_API_URL: '' })).toEqual([
      'PORT is set but empty; unset it or give it a value',
      'AGENTMC_API_URL is set but empty; unset it or give it a value',
    ]);
  });

  it('refuses production without AGENTMC_API_URL rather than serving demo data', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'AGENTMC_API_URL: required when NODE_ENV=production (the embedded demo upstream is for development only)',
    ]);
  });

  it.each([
    ['a query string', 'https://agentmc.ai/api/v1?token=abc'],
    ['credentials', 'https://user:pass@agentmc.ai/api/v1'],
  ])('refuses a base URL with %s', (_case, url) => {
    expect(problemsOf({ AGENTMC_API_URL: url })).toEqual([
      'AGENTMC_API_URL: expected a base URL without query, fragment or credentials',
    ]);
  });

  it('refuses a malformed fallback key without echoing it', () => {
    const problems = problemsOf({ AGENTMC_API_KEY: 'mca secret with spaces' });

    expect(problems).toEqual(['AGENTMC_API_KEY: expected one token of 1 to 256 visible ASCII characters']);
    expect(problems.join()).not.toContain('secret');
  });

  it('keeps the base path of AGENTMC_API_URL', () => {
    expect(loadConfig({ AGENTMC_API_URL: 'https://agentmc.ai/api/v1/' }).upstreamUrl?.pathname).toBe(
      '/api/v1/',
    );
  });
});
