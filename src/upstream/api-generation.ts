/*
 * Which generation of the AgentMC API the upstream speaks: the agents generation (agent keys,
 * `/agents/realtime/...`) or the hosts generation (host keys, `/hosts/realtime/...`, `X-Agent-Id`).
 * No version header tells them apart; the paths the server's published OpenAPI document lists do.
 */

import type { ApiGenerationSetting } from '../settings.js';

export const API_GENERATIONS = ['hosts', 'agents'] as const;
export type ApiGeneration = (typeof API_GENERATIONS)[number];
export type { ApiGenerationSetting };

/** Why a generation is in use: set by configuration, read from the document, or guessed per key. */
export type ApiGenerationSource = 'configured' | 'openapi-document' | 'key-kind';

/** The route each generation is recognised by: the first realtime operation, in both documents. */
const MARKER_PATHS: Readonly<Record<ApiGeneration, string>> = {
  hosts: '/hosts/realtime/sessions/requested',
  agents: '/agents/realtime/sessions/requested',
};

/**
 * The generation a published OpenAPI document describes, from its `paths`. A server between the
 * two (routes moved, both listed) is the hosts generation: the agents routes are going away.
 */
export function generationFromDocument(document: unknown): ApiGeneration | undefined {
  const paths = (document as { paths?: unknown } | null)?.paths;
  if (typeof paths !== 'object' || paths === null) return undefined;
  return API_GENERATIONS.find((generation) => Object.hasOwn(paths, MARKER_PATHS[generation]));
}

/** When the document cannot be read: agent keys (`mca_…`) are the agents generation's, all others hosts'. */
export function generationForKey(apiKey: string): ApiGeneration {
  return apiKey.startsWith('mca_') ? 'agents' : 'hosts';
}

export interface ApiGenerationStatus {
  setting: ApiGenerationSetting;
  /** Undefined while only the key kind decides (the document was not read). */
  generation: ApiGeneration | undefined;
  source: ApiGenerationSource;
  /** A short phrase for logs and `/readyz`: why this source. */
  reason: string;
}

export interface ApiGenerationSelectorOptions {
  setting: ApiGenerationSetting;
  /** Reads and parses `<origin>/api/openapi.json` (bounded by the upstream deadline); throws on failure. */
  readDocument: () => Promise<unknown>;
  /** Called each time the choice changes (start, re-detection), for the log and the metric. */
  onChange: (status: ApiGenerationStatus) => void;
  /** Re-reads after a route miss happen at most this often. @default 60000 */
  redetectIntervalMs?: number;
}

/**
 * Picks the generation once at start and again, at most once a minute, after a call met a 404
 * that looks like a route miss. A configured generation is never second-guessed.
 */
export class ApiGenerationSelector {
  readonly #options: ApiGenerationSelectorOptions;
  #status: ApiGenerationStatus;
  #reading: Promise<void> | undefined;
  /** The first read, which calls made before it ends wait for. */
  #firstRead: Promise<void> | undefined;
  #lastReadAt = Number.NEGATIVE_INFINITY;

  constructor(options: ApiGenerationSelectorOptions) {
    this.#options = options;
    this.#status =
      options.setting === 'auto'
        ? { setting: 'auto', generation: undefined, source: 'key-kind', reason: 'document not read yet' }
        : {
            setting: options.setting,
            generation: options.setting,
            source: 'configured',
            reason: 'configured',
          };
  }

  get status(): ApiGenerationStatus {
    return this.#status;
  }

  /** Reads the document once (auto only). Resolves when the choice is made, never rejects. */
  start(): Promise<void> {
    if (this.#options.setting !== 'auto') {
      this.#options.onChange(this.#status);
      return Promise.resolve();
    }
    return (this.#firstRead ??= this.#read().then(() => {
      this.#firstRead = undefined;
    }));
  }

  /** The generation for a call made with `apiKey`, or undefined while the first read is in flight. */
  current(apiKey: string): ApiGeneration | undefined {
    if (this.#firstRead !== undefined) return undefined;
    return this.#status.generation ?? generationForKey(apiKey);
  }

  /**
   * The generation for a call made with `apiKey`. While the first read is in flight, calls wait
   * for it (it is bounded by the upstream deadline) rather than guess.
   */
  async generationFor(apiKey: string): Promise<ApiGeneration> {
    if (this.#firstRead !== undefined) await this.#firstRead;
    return this.#status.generation ?? generationForKey(apiKey);
  }

  /** A call met a 404 that looks like a route miss: read the document again, unless read lately. */
  routeMissed(): void {
    if (this.#options.setting !== 'auto' || this.#reading !== undefined) return;
    if (Date.now() - this.#lastReadAt < (this.#options.redetectIntervalMs ?? 60_000)) return;
    void this.#read();
  }

  #read(): Promise<void> {
    this.#lastReadAt = Date.now();
    const reading = this.#options
      .readDocument()
      .then(
        (document): ApiGenerationStatus => {
          const generation = generationFromDocument(document);
          return generation === undefined
            ? {
                setting: 'auto',
                generation: undefined,
                source: 'key-kind',
                reason: 'the OpenAPI document lists no realtime routes',
              }
            : {
                setting: 'auto',
                generation,
                source: 'openapi-document',
                reason: `the OpenAPI document lists ${MARKER_PATHS[generation]}`,
              };
        },
        (error: unknown): ApiGenerationStatus => ({
          setting: 'auto',
          // A document read before still describes the server better than a guess by key.
          generation: this.#status.generation,
          source: this.#status.generation === undefined ? 'key-kind' : this.#status.source,
          reason: `the OpenAPI document could not be read (${describe(error)})`,
        }),
      )
      .then((status) => {
        const changed =
          status.generation !== this.#status.generation ||
          status.source !== this.#status.source ||
          status.reason !== this.#status.reason;
        this.#status = status;
        if (changed) this.#options.onChange(status);
      })
      .finally(() => {
        this.#reading = undefined;
      });
    this.#reading = reading;
    return reading;
  }
}

/** A phrase safe to log: the error's code or class, never a message that could hold a URL. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return `status ${status}`;
  return error instanceof Error ? error.name : 'unknown error';
}
