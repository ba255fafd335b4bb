/*
 * What every benchmark request carries besides its body, shared by the autocannon rounds
 * (load.ts) and the fixed-rate pacer, which runs in a process of its own (fixed-rate-pacer.ts).
 */
import type { Workload } from './workloads.js';

export const API_KEY_COUNT = 1000;

/**
 * Which kind of key a workload sends: `agent` keys (`mca_…`, the agents generation) or `host`
 * keys (`cc_…`, the hosts generation). The fake upstream accepts any non-empty key of its kind.
 */
export type KeyKind = 'agent' | 'host';
const KEY_PREFIX: Readonly<Record<KeyKind, string>> = { agent: 'mca_bench_', host: 'cc_bench_' };

const keysOf = (kind: KeyKind) =>
  Array.from({ length: API_KEY_COUNT }, (_, i) => `${KEY_PREFIX[kind]}${String(i).padStart(4, '0')}`);
const API_KEYS: Readonly<Record<KeyKind, readonly string[]>> = {
  agent: keysOf('agent'),
  host: keysOf('host'),
};

/** The key of `--one-key`, and the one verification and start-up checks send. */
export const sharedKey = (kind: KeyKind = 'agent') => `${KEY_PREFIX[kind]}shared`;
export const verifyKey = (kind: KeyKind = 'agent') => `${KEY_PREFIX[kind]}verify`;

/** Every Nth answer is parsed and checked during load; the rest only counted. */
export const SPOT_CHECK_EVERY = 250;
/** A request unanswered after this long counts as a timeout (autocannon's default). */
export const REQUEST_TIMEOUT_S = 10;

/** Every request's headers but the API key: the workload's own (`X-Agent-Id`) included. */
export function requestHeaders(workload: Pick<Workload, 'body' | 'headers'>): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', ...workload.headers };
  if (workload.body !== undefined) headers['content-type'] = 'application/json';
  return headers;
}

/**
 * Many keys by default: each request takes the next of 1000 keys of its kind (one counter over all
 * connections), so concurrent requests never share a key and no per-key sharing or caching
 * helps. With `count`, each request draws one of the first `count` keys at random instead (the
 * sharing path: 64 keys over 50 connections, so concurrent requests often hold the same key, as
 * agents polling on their own schedules do). With --one-key every request sends the same key. Returns the key for the next request.
 */
export function apiKeys(oneKey: boolean, kind: KeyKind = 'agent', count?: number): () => string {
  const one = sharedKey(kind);
  if (oneKey) return () => one;
  const keys = API_KEYS[kind];
  if (count !== undefined) {
    const used = Math.min(count, API_KEY_COUNT);
    return () => keys[Math.floor(Math.random() * used)] ?? one;
  }
  let next = 0;
  return () => keys[next++ % API_KEY_COUNT] ?? one;
}
