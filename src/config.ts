import { z } from 'zod';
import { isWellFormedApiKey } from './credentials.js';

/*
 * Every setting, read from the environment once, validated together and frozen. Each problem
 * names its variable and what it expects; values are never echoed (one of them is a key).
 */

const milliseconds = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a whole number of milliseconds' })
    .int({ error: 'expected a whole number of milliseconds' })
    .min(1, { error: 'expected at least 1 millisecond' })
    .max(600_000, { error: 'expected at most 600000 milliseconds' })
    .default(fallback);

const environmentSchema = z
  .object({
    /** @default "development" */
    NODE_ENV: z
      .enum(['development', 'production', 'test'], { error: 'expected development, production or test' })
      .default('development'),
    /** @default 4000 */
    PORT: z.coerce
      .number({ error: 'expected a TCP port number' })
      .int({ error: 'expected a TCP port number' })
      .min(0, { error: 'expected a port between 0 and 65535' })
      .max(65535, { error: 'expected a port between 0 and 65535' })
      .default(4000),
    /** @default "127.0.0.1"; set 0.0.0.0 to listen on every interface (containers). */
    HOST: z.string().min(1, { error: 'expected a host name or IP address' }).default('127.0.0.1'),
    /** Base URL of the AgentMC API including `/api/v1`; unset starts the embedded demo upstream. */
    AGENTMC_API_URL: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://agentmc.ai/api/v1' })
      .refine((value) => {
        const url = new URL(value);
        return url.search === '' && url.hash === '' && url.username === '' && url.password === '';
      }, 'expected a base URL without query, fragment or credentials')
      .optional(),
    /** Used only when a caller sends no key: every such caller acts as this agent. */
    AGENTMC_API_KEY: z
      .string()
      .refine(isWellFormedApiKey, 'expected one token of 1 to 256 visible ASCII characters')
      .optional(),
    /** @default 1000 */
    UPSTREAM_CONNECT_TIMEOUT_MS: milliseconds(1000),
    /** @default 5000 */
    UPSTREAM_HEADERS_TIMEOUT_MS: milliseconds(5000),
    /** @default 5000; the longest silence between two body chunks. */
    UPSTREAM_BODY_TIMEOUT_MS: milliseconds(5000),
    /** @default 1048576 (1 MiB) */
    UPSTREAM_MAX_BODY_BYTES: z.coerce
      .number({ error: 'expected a number of bytes' })
      .int({ error: 'expected a whole number of bytes' })
      .min(1024, { error: 'expected at least 1024 bytes' })
      .max(64 * 1024 * 1024, { error: 'expected at most 67108864 bytes' })
      .default(1024 * 1024),
    /** @default "info" */
    LOG_LEVEL: z
      .enum(['debug', 'info', 'warn', 'error', 'silent'], {
        error: 'expected debug, info, warn, error or silent',
      })
      .default('info'),
    /** @default 10000; how long shutdown waits for in-flight requests. */
    SHUTDOWN_TIMEOUT_MS: milliseconds(10_000),
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

export type LogLevel = z.output<typeof environmentSchema>['LOG_LEVEL'];

export interface GatewayConfig {
  readonly environment: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  /** Undefined means: start the embedded demo upstream. */
  readonly upstreamUrl: URL | undefined;
  readonly fallbackApiKey: string | undefined;
  readonly upstreamTimeouts: Readonly<{ connectMs: number; headersMs: number; bodyMs: number }>;
  readonly upstreamMaxBodyBytes: number;
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutMs: number;
}

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
  return Object.freeze({
    environment: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    upstreamUrl: env.AGENTMC_API_URL === undefined ? undefined : new URL(env.AGENTMC_API_URL),
    fallbackApiKey: env.AGENTMC_API_KEY,
    upstreamTimeouts: Object.freeze({
      connectMs: env.UPSTREAM_CONNECT_TIMEOUT_MS,
      headersMs: env.UPSTREAM_HEADERS_TIMEOUT_MS,
      bodyMs: env.UPSTREAM_BODY_TIMEOUT_MS,
    }),
    upstreamMaxBodyBytes: env.UPSTREAM_MAX_BODY_BYTES,
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  });
}
