/*
 * What every benchmark request carries besides its body, shared by the autocannon rounds
 * (load.ts) and the fixed-rate pacer, which runs in a process of its own (fixed-rate-pacer.ts).
 */
import type { Workload } from './workloads.js';

export const API_KEY_COUNT = 1000;
/** Well-formed AgentMC-style keys; the fake upstream accepts any non-empty key. */
const API_KEYS = Array.from({ length: API_KEY_COUNT }, (_, i) => `mca_bench_${String(i).padStart(4, '0')}`);
const ONE_KEY = 'mca_bench_shared';

/** Every Nth answer is parsed and checked during load; the rest only counted. */
export const SPOT_CHECK_EVERY = 250;
/** A request unanswered after this long counts as a timeout (autocannon's default). */
export const REQUEST_TIMEOUT_S = 10;

/** Every request's headers but the API key. */
export function requestHeaders(workload: Pick<Workload, 'body'>): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (workload.body !== undefined) headers['content-type'] = 'application/json';
  return headers;
}

/**
 * Many keys by default: each request takes the next of 1000 keys (one counter over all
 * connections), so concurrent requests never share a key and no per-key sharing or caching
 * helps. With --one-key every request sends the same key. Returns the key for the next request.
 */
export function apiKeys(oneKey: boolean): () => string {
  if (oneKey) return () => ONE_KEY;
  let next = 0;
  return () => API_KEYS[next++ % API_KEY_COUNT] ?? ONE_KEY;
}
