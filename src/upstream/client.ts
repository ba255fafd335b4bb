// Over 250 lines on purpose: the one way every operation is called (generation, share, breaker, attempts, outcome) reads best as one flow.
import { Pool, type Dispatcher } from 'undici';
import { AGENT_ID_HEADER, REQUESTED_SESSIONS_LIMIT } from '../agentmc-wire.js';
import type { Caller } from '../caller.js';
import type { UpstreamSettings } from '../settings.js';
import { GatewayError, notOfferedByUpstream } from '../errors.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics.js';
import { DeadlineAttempts } from './attempts.js';
import {
  logCall,
  logFailure,
  logMutation,
  markOutcome,
  statusLabel,
  UnknownStatusWarnings,
} from './call-outcome.js';
import type { ApiGeneration, ApiGenerationSetting, ApiGenerationStatus } from './api-generation.js';
import { ApiGenerationWatch } from './api-generation-watch.js';
import { CallAbort } from './call-abort.js';
import { UpstreamCircuitBreaker, type CircuitState } from './circuit-breaker.js';
import { InflightShare } from './inflight.js';
import { discard, readResponse } from './read-response.js';
import { ROUTES, type Route } from './routes.js';

export interface AgentMcClientOptions {
  /** Base URL including its path prefix, e.g. `https://agentmc.ai/api/v1`. */
  baseUrl: URL;
  /** Which API generation to speak; `auto` reads the server's published document. */
  apiGeneration: ApiGenerationSetting;
  settings: UpstreamSettings;
  userAgent: string;
  logger: Logger;
  metrics: GatewayMetrics;
}

/**
 * The AgentMC REST client: one keep-alive undici pool for the upstream origin, built once per
 * server and closed on shutdown, behind one circuit breaker and the in-flight share. Every
 * operation of `ROUTES` goes through `call`, with one deadline for all its attempts
 * (`attempts.ts`) and one way of reading answers (`read-response.ts`). It never follows
 * redirects (a followed redirect would carry the key to another host) and turns every outcome
 * into data or one `GatewayError`.
 */
export class AgentMcClient {
  readonly #pool: Pool;
  readonly #breaker: UpstreamCircuitBreaker;
  readonly #attempts: DeadlineAttempts;
  readonly #inflight = new InflightShare();
  readonly #basePath: string;
  readonly #options: AgentMcClientOptions;
  readonly #unknownStatuses: UnknownStatusWarnings;
  readonly #generations: ApiGenerationWatch;
  /** Epoch milliseconds of the last HTTP answer below 500, for readiness. */
  #lastHealthyAnswerAt = 0;

  constructor(options: AgentMcClientOptions) {
    const { settings, metrics } = options;
    this.#options = options;
    // `new URL('/agents/…', base)` would drop the `/api/v1` prefix; append to the path instead.
    this.#basePath = options.baseUrl.pathname.replace(/\/+$/, '');
    this.#pool = new Pool(options.baseUrl.origin, {
      connections: settings.connections,
      connect: { timeout: settings.timeouts.connectMs },
      headersTimeout: settings.timeouts.headersMs,
      bodyTimeout: settings.timeouts.bodyMs,
      // Close idle sockets before AgentMC does, so a reused socket is rarely a dead one.
      keepAliveTimeout: settings.keepAliveMs,
      keepAliveMaxTimeout: settings.keepAliveMs,
    });
    this.#breaker = new UpstreamCircuitBreaker(settings.breaker, options.logger);
    this.#unknownStatuses = new UnknownStatusWarnings(options.logger);
    this.#attempts = new DeadlineAttempts(this.#pool, settings.timeouts, {
      answered: (status) => {
        if (status < 500) this.#lastHealthyAnswerAt = Date.now();
      },
      retrying: (route, reason) => metrics.upstreamRetries.inc({ route, reason }),
    });
    this.#generations = new ApiGenerationWatch({
      setting: options.apiGeneration,
      attempts: this.#attempts,
      basePath: this.#basePath,
      userAgent: options.userAgent,
      retry: settings.retry,
      logger: options.logger,
      metrics,
    });
  }

  /**
   * One operation of `ROUTES` for `caller`, in the API generation the upstream speaks; on the
   * hosts generation `agentId` (already checked) goes as `X-Agent-Id`. An idempotent operation is
   * shared with concurrent identical calls of the same key and agent and may be retried; any
   * other is sent once. Then the breaker, then attempts within one deadline, then validation.
   */
  call<Params, Value>(
    caller: Caller,
    route: Route<Params, Value>,
    params: Params,
    agentId?: string,
  ): Promise<Value> {
    const generation = this.#generations.current(caller.apiKey);
    if (generation !== undefined) return this.#callIn(generation, caller, route, params, agentId);
    return this.#generations
      .generationFor(caller.apiKey)
      .then((found) => this.#callIn(found, caller, route, params, agentId));
  }

  /** The generation calls of `caller` go to (waiting, at start, for the document to be read). */
  generationFor(caller: Caller): Promise<ApiGeneration> {
    const generation = this.#generations.current(caller.apiKey);
    return generation === undefined
      ? this.#generations.generationFor(caller.apiKey)
      : Promise.resolve(generation);
  }

  /** Which generation is in use, and why: for `/readyz`. */
  get apiGeneration(): ApiGenerationStatus {
    return this.#generations.status;
  }

  /** Reads the server's published OpenAPI document (auto only); resolves when the choice is made. */
  detectApiGeneration(): Promise<void> {
    return this.#generations.start();
  }

  #callIn<Params, Value>(
    generation: ApiGeneration,
    caller: Caller,
    route: Route<Params, Value>,
    params: Params,
    agentId: string | undefined,
  ): Promise<Value> {
    const pathOf = route.paths[generation];
    if (pathOf === undefined) return Promise.reject(notOfferedByUpstream(route.operationId, generation));
    const path = pathOf(params);
    // The agents generation has no agent header: there the key is the agent.
    const actingAs = generation === 'hosts' ? agentId : undefined;
    const body = route.body?.(params, generation);
    const run = (abort: CallAbort, requestIds?: readonly string[]) =>
      this.#run(caller, route, path, body, actingAs, abort, requestIds);
    // A mutation is its caller's alone, and runs to its end even if the caller leaves: aborting
    // a request already sent would only make its outcome unknown.
    if (!route.idempotent) return run(new CallAbort());
    const shareKey =
      actingAs === undefined
        ? `${caller.digest} ${route.method} ${path}`
        : `${caller.digest} ${actingAs} ${route.method} ${path}`;
    if (this.#inflight.has(shareKey)) this.#options.metrics.upstreamShared.inc({ route: route.operationId });
    return this.#inflight.run(shareKey, run, caller.signal, caller.requestId);
  }

  get circuitState(): CircuitState {
    return this.#breaker.state;
  }

  /** When AgentMC last answered with a status below 500 (0: never). */
  get lastHealthyAnswerAt(): number {
    return this.#lastHealthyAnswerAt;
  }

  /**
   * Asks AgentMC, without any key, whether it answers at all: a 401 proves it is up. It spends
   * no caller's rate limit and bypasses the breaker, so it can tell when AgentMC is back.
   */
  async probe(): Promise<boolean> {
    try {
      const { statusCode, body } = await this.#pool.request({
        method: 'GET',
        path: `${this.#basePath}${this.#probePath()}`,
        headers: { accept: 'application/json', 'user-agent': this.#options.userAgent },
        signal: AbortSignal.timeout(this.#options.settings.timeouts.totalMs),
      });
      discard(body);
      if (statusCode < 500) this.#lastHealthyAnswerAt = Date.now();
      return statusCode < 500;
    } catch {
      return false;
    }
  }

  /** A keyless list call of the generation in use (hosts while unknown): any answer below 500 is life. */
  #probePath(): string {
    const { paths } = ROUTES.listAgentRealtimeRequestedSessions;
    const pathOf = paths[this.#generations.status.generation ?? 'hosts'];
    return pathOf({ limit: REQUESTED_SESSIONS_LIMIT.min });
  }

  async close(): Promise<void> {
    this.#breaker.shutdown();
    await this.#pool.close();
  }

  /** One upstream call, however many callers wait for it; `abort` is the call's own. */
  async #run<Params, Value>(
    caller: Caller,
    route: Route<Params, Value>,
    path: string,
    body: unknown,
    actingAs: string | undefined,
    abort: CallAbort,
    requestIds: readonly string[] | undefined,
  ): Promise<Value> {
    const started = performance.now();
    const record = (status: string) => {
      this.#options.metrics.countUpstreamCall(
        route.operationId,
        status,
        (performance.now() - started) / 1000,
      );
    };
    const { settings } = this.#options;
    const request: Dispatcher.RequestOptions = {
      method: route.method,
      path: `${this.#basePath}${path}`,
      headers: this.#headersFor(caller, actingAs, body !== undefined),
      signal: abort,
    };
    if (body !== undefined) request.body = JSON.stringify(body);
    try {
      const value = await this.#breaker.run(() =>
        this.#attempts.run(
          request,
          abort,
          route.operationId,
          route.idempotent ? settings.retry : { ...settings.retry, unsentOnly: true },
          (response) => readResponse(response, caller.apiKey, route.parse, settings.maxBodyBytes),
        ),
      );
      record('200');
      if (!route.idempotent) logMutation(this.#options.logger, route.operationId, caller);
      else logCall(this.#options.logger, route.operationId, caller, requestIds);
      if (route.sessionsOf !== undefined) this.#unknownStatuses.check(route.sessionsOf(value));
      return value;
    } catch (error) {
      record(statusLabel(error));
      if (error instanceof GatewayError) {
        if (!route.idempotent) {
          markOutcome(error);
          logMutation(this.#options.logger, route.operationId, caller, error);
        }
        if (error.routeMiss) this.#generations.routeMissed(route.operationId);
        logFailure(this.#options.logger, error, caller, requestIds);
      }
      throw error;
    }
  }

  #headersFor(
    { apiKey, requestId }: Caller,
    actingAs: string | undefined,
    withBody: boolean,
  ): Record<string, string> {
    const headers: Record<string, string> = {
      'x-api-key': apiKey,
      accept: 'application/json',
      'user-agent': this.#options.userAgent,
    };
    if (requestId !== undefined) headers['x-request-id'] = requestId;
    if (actingAs !== undefined) headers[AGENT_ID_HEADER] = actingAs;
    if (withBody) headers['content-type'] = 'application/json';
    return headers;
  }
}
