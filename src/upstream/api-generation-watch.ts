import type { Dispatcher } from 'undici';
import { OPENAPI_DOCUMENT_PATH } from '../agentmc-wire.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics.js';
import {
  ApiGenerationSelector,
  type ApiGeneration,
  type ApiGenerationSetting,
  type ApiGenerationStatus,
} from './api-generation.js';
import type { DeadlineAttempts } from './attempts.js';
import { CallAbort } from './call-abort.js';
import { readResponse } from './read-response.js';
import type { RetrySettings } from './retry-policy.js';

/** The `route` label of reading the published OpenAPI document (it has no operationId). */
const OPENAPI_DOCUMENT_ROUTE = 'openApiDocument';
/** The hosts generation's document is about 600 KB; a server's own may grow. */
const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/**
 * Where the server publishes its document: `/api/openapi.json` beside the `/api/v1` the base URL
 * ends in (under whatever prefix a proxy adds), else at the origin's `/api/openapi.json`.
 */
function publishedDocumentPath(basePath: string): string {
  return /\/v\d+$/.test(basePath) ? `${basePath.replace(/\/v\d+$/, '')}/openapi.json` : OPENAPI_DOCUMENT_PATH;
}

export interface ApiGenerationWatchOptions {
  setting: ApiGenerationSetting;
  /** The client's attempts: the document is read within one upstream deadline, with its retries. */
  attempts: DeadlineAttempts;
  basePath: string;
  userAgent: string;
  retry: RetrySettings;
  logger: Logger;
  metrics: GatewayMetrics;
}

/**
 * The client's side of the generation choice (`api-generation.ts` makes it): reads the published
 * document through the client's pool, says each choice in the log and the metric, and turns route
 * misses into one warning per route and, on `auto`, a new read.
 */
export class ApiGenerationWatch {
  readonly #options: ApiGenerationWatchOptions;
  readonly #selector: ApiGenerationSelector;
  readonly #routeMissesLogged = new Set<string>();

  constructor(options: ApiGenerationWatchOptions) {
    this.#options = options;
    this.#selector = new ApiGenerationSelector({
      setting: options.setting,
      readDocument: () => this.#readPublishedDocument(),
      onChange: (status) => this.#changed(status),
    });
  }

  get status(): ApiGenerationStatus {
    return this.#selector.status;
  }

  start(): Promise<void> {
    return this.#selector.start();
  }

  current(apiKey: string): ApiGeneration | undefined {
    return this.#selector.current(apiKey);
  }

  generationFor(apiKey: string): Promise<ApiGeneration> {
    return this.#selector.generationFor(apiKey);
  }

  /** A 404 from a path the server has no route for: logged once per route, and (auto) re-detected. */
  routeMissed(route: string): void {
    this.#selector.routeMissed();
    if (this.#routeMissesLogged.has(route)) return;
    this.#routeMissesLogged.add(route);
    const { setting, generation } = this.#selector.status;
    this.#options.logger.warn(
      {
        event: 'upstream_route_miss',
        route,
        generation: generation ?? null,
        hint:
          setting === 'auto'
            ? 'The AgentMC server has no route for this call; the gateway reads its /api/openapi.json again (at most once a minute). Set AGENTMC_API_GENERATION=hosts or agents to pin the generation.'
            : `AGENTMC_API_GENERATION=${setting} may not be the generation this AgentMC server speaks: try auto, or the other one.`,
      },
      `AgentMC has no route for ${route}: is AGENTMC_API_GENERATION right?`,
    );
  }

  /**
   * `<origin>/api/openapi.json` (beside `/api/v1`), without a key, within one upstream deadline:
   * the document the generation is read from. Any answer but a 200 with JSON is a failure.
   */
  #readPublishedDocument(): Promise<unknown> {
    const { attempts, basePath, userAgent, retry } = this.#options;
    const abort = new CallAbort();
    const request: Dispatcher.RequestOptions = {
      method: 'GET',
      path: publishedDocumentPath(basePath),
      headers: { accept: 'application/json', 'user-agent': userAgent },
      signal: abort,
    };
    return attempts.run(request, abort, OPENAPI_DOCUMENT_ROUTE, retry, (response) =>
      readResponse(response, '', (json) => ({ ok: true, value: json }), MAX_DOCUMENT_BYTES),
    );
  }

  #changed(status: ApiGenerationStatus): void {
    this.#options.metrics.setApiGeneration(status.generation ?? 'by-key', status.source);
    this.#options.logger.info(
      {
        event: 'api_generation',
        generation: status.generation ?? null,
        source: status.source,
        reason: status.reason,
      },
      status.generation === undefined
        ? `AgentMC API generation: chosen per key (mca_ keys: agents, others: hosts), because ${status.reason}`
        : `AgentMC API generation: ${status.generation} (${status.source}: ${status.reason})`,
    );
  }
}
