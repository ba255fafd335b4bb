/*
 * npm run bench -- --live: what live subscriptions cost the upstream. N subscribers of one key
 * (1, 10, 100) hold SSE streams on the real gateway for a while; the fake upstream counts the
 * polls it receives. The naive alternative, every client polling on its own timer, costs
 * N × 60 000 / interval requests a minute.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INTERVAL_MS = 1000;
const SUBSCRIBER_COUNTS = [1, 10, 100];

const session = (id: number) => ({
  id,
  team_id: 1,
  agent_id: 1,
  requested_by_user_id: null,
  status: 'requested',
  claimed_at: null,
  opened_at: null,
  closed_at: null,
  expires_at: null,
  last_browser_heartbeat_at: null,
  last_agent_heartbeat_at: null,
  meta: null,
  created_at: null,
  updated_at: null,
});

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
    response.end(JSON.stringify({ data: [session(Math.floor(Date.now() / 2000) % 5)] }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/api/v1`;

  const gateway: ChildProcess = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: '0',
      LOG_LEVEL: 'info',
      AGENTMC_API_URL: upstreamUrl,
      LIVE_POLL_INTERVAL_MS: String(INTERVAL_MS),
      LIVE_MAX_SUBSCRIPTIONS_PER_KEY: '1000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      gateway.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"url":"([^"]+)"/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      gateway.once('exit', () => reject(new Error('the gateway exited before listening')));
    });

    const results: LiveResult[] = [];
    for (const count of SUBSCRIBER_COUNTS) {
      const controller = new AbortController();
      const { events, ready } = subscribe(url, count, controller.signal);
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
    gateway.kill('SIGTERM');
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
