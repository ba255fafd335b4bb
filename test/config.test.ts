import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

function problemsOf(environment: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has defaults that need nothing set', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      environment: 'development',
      port: 4000,
      host: '127.0.0.1',
      upstreamUrl: undefined,
      fallbackApiKey: undefined,
      upstreamTimeouts: { connectMs: 1000, headersMs: 5000, bodyMs: 5000 },
      upstreamMaxBodyBytes: 1_048_576,
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '0.0.0.0',
      AGENTMC_API_URL: 'https://agentmc.ai/api/v1',
      AGENTMC_API_KEY: 'mca_server_key',
      UPSTREAM_CONNECT_TIMEOUT_MS: '250',
      UPSTREAM_HEADERS_TIMEOUT_MS: '1500',
      UPSTREAM_BODY_TIMEOUT_MS: '2500',
      UPSTREAM_MAX_BODY_BYTES: '2048',
      LOG_LEVEL: 'warn',
      SHUTDOWN_TIMEOUT_MS: '3000',
    });

    expect(config.upstreamUrl?.href).toBe('https://agentmc.ai/api/v1');
    expect(config).toMatchObject({
      environment: 'production',
      port: 8080,
      host: '0.0.0.0',
      fallbackApiKey: 'mca_server_key',
      upstreamTimeouts: { connectMs: 250, headersMs: 1500, bodyMs: 2500 },
      upstreamMaxBodyBytes: 2048,
      logLevel: 'warn',
      shutdownTimeoutMs: 3000,
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
      'PORT: expected a TCP port number',
      'AGENTMC_API_URL: expected an http(s) URL such as https://agentmc.ai/api/v1',
      'UPSTREAM_HEADERS_TIMEOUT_MS: expected at least 1 millisecond',
      'LOG_LEVEL: expected debug, info, warn, error or silent',
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
