/*
 * npm run bench -- --live: what live subscriptions cost the upstream. N subscribers of one key
 * (1, 10, 100) hold SSE streams on the real gateway for a while; the fake upstream counts the
 * polls it receives. The naive alternative, every client polling on its own timer, costs
 * N × 60 000 / interval requests a minute.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { API_PREFIX, requestedSessionsBody, wireSession } from '../src/agentmc-wire.js';
import { startGateway } from '../scripts/gateway-process.js';

const INTERVAL_MS = 1000;
const SUBSCRIBER_COUNTS = [1, 10, 100];

interface LiveResult {
  subscribers: number;
  seconds: number;
  upstreamPerMinute: number;
  naivePerMinute: number;
  eventsPerSubscriber: number;
}

/** Opens `count` SSE subscriptions and counts the events each receives until `signal` aborts. */
function subscribe(
  url: string,
  count: number,
  signal: AbortSignal,
): { events: number[]; ready: Promise<void> } {
  const events = Array.from({ length: count }, () => 0);
  const firsts: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    firsts.push(
      new Promise<void>((resolve) => {
        void fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'text/event-stream',
            'x-api-key': 'mca_live_bench',
          },
          body: JSON.stringify({
            query: 'subscription { requestedSessionsChanged(limit: 5) { removedIds } }',
          }),
          signal,
        })
          .then(async (response) => {
            for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
              const received = Buffer.from(chunk).toString().split('event: next').length - 1;
              if (received > 0) {
                events[i] = (events[i] ?? 0) + received;
                resolve();
              }
            }
          })
          .catch(() => resolve());
      }),
    );
  }
  return { events, ready: Promise.all(firsts).then(() => undefined) };
}

export async function runLiveBench(seconds: number): Promise<LiveResult[]> {
  // The list changes every other second, so subscribers receive events while polls go on.
  let polls = 0;
  const upstream = createServer((_request, response) => {
    polls += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(requestedSessionsBody([wireSession({ id: Math.floor(Date.now() / 2000) % 5 })])),
    );
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}${API_PREFIX}`;

  const gateway = await startGateway({
    from: 'dist',
    env: {
      NODE_ENV: 'production',
      AGENTMC_API_URL: upstreamUrl,
      LIVE_POLL_INTERVAL_MS: String(INTERVAL_MS),
      LIVE_MAX_SUBSCRIPTIONS_PER_KEY: '1000',
    },
    stderr: 'inherit',
    keepChars: 4000,
  }).catch((error: unknown) => {
    upstream.close();
    throw error;
  });
  try {
    const { url } = gateway;

    const results: LiveResult[] = [];
    for (const count of SUBSCRIBER_COUNTS) {
      const controller = new AbortController();
      const { events, ready } = subscribe(url.href, count, controller.signal);
      await ready;
      const before = polls;
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      const measured = polls - before;
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_MS));
      results.push({
        subscribers: count,
        seconds,
        upstreamPerMinute: Math.round((measured * 60) / seconds),
        naivePerMinute: Math.round((count * 60_000) / INTERVAL_MS),
        eventsPerSubscriber: Math.round(events.reduce((sum, value) => sum + value, 0) / count),
      });
    }
    return results;
  } finally {
    await gateway.stop();
    upstream.close();
    upstream.closeAllConnections();
  }
}

export function liveTable(results: LiveResult[]): string {
  const rows = results.map(
    (result) =>
      `| ${String(result.subscribers).padStart(11)} | ${String(result.upstreamPerMinute).padStart(22)} | ${String(result.naivePerMinute).padStart(24)} | ${String(result.eventsPerSubscriber).padStart(21)} |`,
  );
  return [
    `live subscriptions of one key, poll interval ${INTERVAL_MS} ms, ${results[0]?.seconds ?? 0} s each`,
    '| subscribers | upstream requests/min | naive (one poll/client)/min | events per subscriber |',
    '|-------------|------------------------|--------------------------|-----------------------|',
    ...rows,
  ].join('\n');
}

export function writeLiveResults(results: LiveResult[]): void {
  const dir = fileURLToPath(new URL('results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}live-latest.json`, `${JSON.stringify({ node: process.version, results }, null, 2)}\n`);
}
