/*
 * npm run soak: bounded, concurrent, mixed load on loopback against the real gateway process,
 * with a fault-injecting AgentMC stand-in. Prints what was served and exits non-zero when the
 * gateway died, its memory grew past a bound, good requests failed, or any answer was wrong.
 *
 * SOAK_SECONDS (default 60), SOAK_CONCURRENCY (default 64), SOAK_RSS_GROWTH_MB (default 64).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import {
  AGENTS_PATHS,
  API_PREFIX,
  OPENAPI_DOCUMENT_PATH,
  openApiDocument,
  requestedSessionsBody,
  requestedSessionsLimit,
  wireError,
  wireSession,
} from '../src/agentmc-wire.js';
import { REPO_ROOT, startGateway } from './gateway-process.js';

const seconds = Number(process.env.SOAK_SECONDS ?? 60);
const concurrency = Number(process.env.SOAK_CONCURRENCY ?? 64);
const rssGrowthBoundMb = Number(process.env.SOAK_RSS_GROWTH_MB ?? 64);

/** Every good key owns one agent id, derived from the key, so a misrouted answer is visible. */
const ownerOf = (key: string) => createHash('sha256').update(key).digest().readUInt32BE(0) % 1_000_000;

function sessionsFor(owner: number, limit: number) {
  return Array.from({ length: Math.min(limit, 5) }, (_, i) =>
    wireSession({
      id: owner * 10 + i,
      agent_id: owner,
      expires_at: '2026-02-22T17:31:00Z',
      meta: { owner },
      created_at: '2026-02-22T17:20:00Z',
      updated_at: '2026-02-22T17:20:00Z',
    }),
  );
}

// The AgentMC stand-in: the key's prefix chooses its behaviour.
const upstream = createServer((request, response: ServerResponse) => {
  const key = String(request.headers['x-api-key'] ?? '');
  const url = new URL(request.url ?? '/', 'http://upstream');
  const send = ({ status, body }: { status: number; body: unknown }) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  // The published document lists the agents paths, so the gateway (left on `auto`) speaks them.
  if (url.pathname === OPENAPI_DOCUMENT_PATH)
    return send({ status: 200, body: openApiDocument([AGENTS_PATHS.listAgentRealtimeRequestedSessions]) });
  if (key.startsWith('mca_hang_')) return; // never answers: the gateway's deadline must fire
  if (key.startsWith('mca_revoked_')) return send(wireError('unauthenticated', 'Revoked.'));
  const owner = ownerOf(key);
  // The gateway only asks for limits the API accepts (limit: 5 here).
  const limit = requestedSessionsLimit(url.searchParams.get('limit')) ?? 0;
  setTimeout(
    () => send({ status: 200, body: requestedSessionsBody(sessionsFor(owner, limit)) }),
    Math.random() * 20,
  );
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const upstreamPort = (upstream.address() as AddressInfo).port;

// The gateway as it is deployed: compiled JavaScript, no TypeScript loader.
const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
if (build.status !== 0) throw new Error('npm run build failed');
const gateway = await startGateway({
  from: 'dist',
  env: {
    ...process.env,
    NODE_ENV: 'production',
    PORT: '0',
    LOG_LEVEL: 'info',
    AGENTMC_API_URL: `http://127.0.0.1:${upstreamPort}${API_PREFIX}`,
    UPSTREAM_TIMEOUT_MS: '1000',
  },
  stderr: 'inherit',
  // A minute of request logs: only the end is kept, to explain a crash.
  keepChars: 4000,
});
const gatewayUrl = gateway.url;

const rssMb = () => {
  const status = readFileSync(`/proc/${gateway.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};

type Kind = 'good' | 'revoked' | 'hang' | 'abusive' | 'anonymous';
const mix: [Kind, number][] = [
  ['good', 0.78],
  ['revoked', 0.08],
  ['abusive', 0.08],
  ['anonymous', 0.04],
  ['hang', 0.02],
];
const pick = (): Kind => {
  let roll = Math.random();
  for (const [kind, share] of mix) if ((roll -= share) < 0) return kind;
  return 'good';
};

const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: requestedSessions { id }`).join(' ');
const client = new Pool(gatewayUrl.origin, { connections: concurrency });
const latencies: number[] = [];
const goodLatencies: number[] = [];
const codes = new Map<string, number>();
let served = 0;
let goodTotal = 0;
let goodFailed = 0;
let wrongAnswers = 0;

async function one(): Promise<void> {
  const kind = pick();
  const key = `mca_${kind === 'good' ? 'tenant' : kind}_${Math.floor(Math.random() * 200)}`;
  const query =
    kind === 'abusive'
      ? `{ agent { ${aliases} } }`
      : '{ agent { requestedSessions(limit: 5) { id agentId meta } } }';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (kind !== 'anonymous') headers['x-api-key'] = key;
  const started = performance.now();
  const { body } = await client.request({
    method: 'POST',
    path: gatewayUrl.pathname,
    headers,
    body: JSON.stringify({ query }),
  });
  const result = (await body.json()) as {
    data?: { agent: { requestedSessions: { agentId: string; meta: { owner: number } }[] } | null };
    errors?: { extensions?: { code?: string } }[];
  };
  latencies.push(performance.now() - started);
  served += 1;
  const code = result.errors?.[0]?.extensions?.code ?? 'OK';
  codes.set(code, (codes.get(code) ?? 0) + 1);

  const expected: Record<Kind, string[]> = {
    good: ['OK'],
    revoked: ['UNAUTHENTICATED'],
    anonymous: ['UNAUTHENTICATED'],
    hang: ['UPSTREAM_TIMEOUT', 'UPSTREAM_UNAVAILABLE'],
    abusive: ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED'],
  };
  if (kind === 'good') {
    goodLatencies.push(performance.now() - started);
    goodTotal += 1;
    if (code !== 'OK') goodFailed += 1;
  }
  if (!expected[kind].includes(code)) wrongAnswers += kind === 'good' ? 0 : 1;
  const sessions = result.data?.agent?.requestedSessions ?? [];
  const owner = String(ownerOf(key));
  if (sessions.some((session) => session.agentId !== owner || String(session.meta.owner) !== owner)) {
    wrongAnswers += 1;
  }
}

async function worker(until: number): Promise<void> {
  while (performance.now() < until && !gateway.exited()) {
    await one().catch(() => {
      codes.set('TRANSPORT_ERROR', (codes.get('TRANSPORT_ERROR') ?? 0) + 1);
    });
  }
}

const warmUp = performance.now() + 5000;
await Promise.all(Array.from({ length: concurrency }, () => worker(warmUp)));
const rssBefore = rssMb();
let rssPeak = rssBefore;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, gateway.exited() ? 0 : rssMb())), 500);
latencies.length = 0;
goodLatencies.length = 0;
codes.clear();
served = goodTotal = goodFailed = wrongAnswers = 0;

const until = performance.now() + seconds * 1000;
await Promise.all(Array.from({ length: concurrency }, () => worker(until)));
clearInterval(sampler);
await new Promise((resolve) => setTimeout(resolve, 2000));
const rssAfter = gateway.exited() ? 0 : rssMb();

const p99 = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length * 0.99)] ?? 0;
const goodFailureRate = goodTotal === 0 ? 1 : goodFailed / goodTotal;
console.log(`soak: ${seconds} s, ${concurrency} concurrent clients, node ${process.version}`);
console.log(`requests served: ${served} (${Math.round(served / seconds)}/s)`);
console.log(`codes: ${[...codes].map(([code, count]) => `${code}=${count}`).join(' ')}`);
console.log(
  `p99 latency: ${p99(goodLatencies).toFixed(1)} ms for good requests, ${p99(latencies).toFixed(1)} ms for all (hangs end at the 1000 ms deadline)`,
);
console.log(
  `gateway RSS: before ${rssBefore.toFixed(0)} MB, peak ${rssPeak.toFixed(0)} MB, after ${rssAfter.toFixed(0)} MB`,
);
console.log(`good requests failed: ${goodFailed}/${goodTotal} (${(goodFailureRate * 100).toFixed(2)}%)`);
console.log(`answers carrying another key's data or the wrong outcome: ${wrongAnswers}`);

const problems = [
  gateway.exited() && 'the gateway process died',
  rssAfter - rssBefore > rssGrowthBoundMb && `RSS grew by more than ${rssGrowthBoundMb} MB`,
  goodFailureRate > 0.01 && 'more than 1% of good requests failed',
  wrongAnswers > 0 && 'wrong answers were served',
].filter(Boolean);

await gateway.stop();
await client.close();
upstream.close();
upstream.closeAllConnections();
if (problems.length > 0) {
  console.error(`SOAK FAILED: ${problems.join('; ')}`);
  process.exit(1);
}
console.log('soak passed');
