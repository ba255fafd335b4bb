// Over 250 lines: how the gateway picks the AgentMC API generation (setting, document, key kind, re-detection) and reports it; each case starts its own gateway.
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AGENT_ID_HEADER,
  AGENTS_PATHS,
  API_PREFIX,
  errorEnvelope,
  HOSTS_PATHS,
  OPENAPI_DOCUMENT_PATH,
  openApiDocument,
  requestedSessionsBody,
  routeMissBody,
  wireInstructions,
  wireSession,
} from '../src/agentmc-wire.js';
import { loadConfig } from '../src/config.js';
import { runGateway, startGateway } from '../scripts/gateway-process.js';
import {
  hang,
  json,
  raw,
  refusingUpstreamUrl,
  startFakeUpstream,
  type FakeUpstream,
  type Responder,
} from './support/fake-upstream.js';
import { startTestGateway, type LogLine, type TestGateway } from './support/gateway.js';
import { problemsOf } from './support/config-problems.js';

const HOSTS_SESSIONS = `${API_PREFIX}${HOSTS_PATHS.listAgentRealtimeRequestedSessions}`;
const AGENTS_SESSIONS = `${API_PREFIX}${AGENTS_PATHS.listAgentRealtimeRequestedSessions}`;
const INSTRUCTIONS = `${API_PREFIX}${AGENTS_PATHS.getAgentInstructions}`;
const HOST_KEY = 'cc_generation_host_key';
const AGENT_KEY = 'mca_generation_agent_key';
const AGENT_QUERY = '{ agent { requestedSessions(limit: 2) { id } } }';
const HOST_AGENT_QUERY = '{ agent(id: "7") { requestedSessions(limit: 2) { id } } }';
const ROUTE = 'listAgentRealtimeRequestedSessions';
/** Past the gateway's once-a-minute bound on re-reading the document. */
const A_MINUTE_LATER_MS = 61_000;

const hostsSessions = json(200, requestedSessionsBody([wireSession({ id: 701, agent_id: 7 })]));
const agentsSessions = json(200, requestedSessionsBody([wireSession({ id: 501, agent_id: 77 })]));

/** Known paths answer; any other is a route miss, as a Laravel server renders it. */
function server(byPath: Record<string, Responder>): Responder {
  return (response, request) =>
    (byPath[request.path] ?? json(404, routeMissBody(request.path)))(response, request);
}

/** A server of the hosts generation, publishing its document. */
const hostsServer = () =>
  server({
    [OPENAPI_DOCUMENT_PATH]: json(200, openApiDocument(Object.values(HOSTS_PATHS))),
    [HOSTS_SESSIONS]: hostsSessions,
    [INSTRUCTIONS]: json(200, wireInstructions(77)),
  });

/** A server of the agents generation, publishing its document. */
const agentsServer = () =>
  server({
    [OPENAPI_DOCUMENT_PATH]: json(200, openApiDocument(Object.values(AGENTS_PATHS))),
    [AGENTS_SESSIONS]: agentsSessions,
    [INSTRUCTIONS]: json(200, wireInstructions(77)),
  });

let upstream: FakeUpstream | undefined;
let gateway: TestGateway | undefined;

/** A fake upstream answering with `responder` from its first request, and a gateway in front of it. */
async function start(responder: Responder, environment: Record<string, string>): Promise<TestGateway> {
  upstream = await startFakeUpstream();
  upstream.respondWith(responder);
  gateway = await startTestGateway(upstream.baseUrl, environment);
  return gateway;
}

afterEach(async () => {
  vi.restoreAllMocks();
  await gateway?.close();
  await upstream?.close();
  gateway = undefined;
  upstream = undefined;
});

const documentReads = () =>
  (upstream?.requests ?? []).filter((request) => request.path === OPENAPI_DOCUMENT_PATH);
const callsTo = (path: string) => (upstream?.requests ?? []).filter((request) => request.path === path);
const generationLines = (target: TestGateway): LogLine[] =>
  target.logs.filter((line) => line.event === 'api_generation');
const routeMissLines = (target: TestGateway): LogLine[] =>
  target.logs.filter((line) => line.event === 'upstream_route_miss');

/** Waits, polling every 10 ms, until `condition` holds (the test's timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await delay(10);
}

/** Lets anything the gateway might still send arrive, before asserting that it did not. */
const settle = () => delay(150);

/** Moves `Date.now()` (what the once-a-minute bound is measured on) `ms` ahead, for this test. */
function clockAhead(ms: number): void {
  const now = Date.now.bind(Date);
  vi.spyOn(Date, 'now').mockImplementation(() => now() + ms);
}

async function readyz(target: TestGateway): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL('/readyz', target.url));
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: response.status, body: await response.json() };
}

/** The `agentmc_api_generation` series whose value is 1, as `generation/source`. */
async function generationSeries(target: TestGateway): Promise<string[]> {
  const metrics = await (await fetch(new URL('/metrics', target.url))).text();
  return metrics
    .split('\n')
    .filter((line) => line.startsWith('agentmc_api_generation{') && Number(line.split(' ').pop()) === 1)
    .map((line) => {
      const generation = /generation="([^"]*)"/.exec(line)?.[1];
      const source = /source="([^"]*)"/.exec(line)?.[1];
      return `${generation}/${source}`;
    });
}

describe('AGENTMC_API_GENERATION', () => {
  it('is auto by default and accepts auto, hosts and agents', () => {
    expect(loadConfig({}).apiGeneration).toBe('auto');
    for (const setting of ['auto', 'hosts', 'agents'] as const) {
      expect(loadConfig({ AGENTMC_API_GENERATION: setting }).apiGeneration).toBe(setting);
    }
  });

  it.each(['both', 'HOSTS', 'v2', 'agent'])('refuses %s, naming the variable', (value) => {
    const problems = problemsOf({ AGENTMC_API_GENERATION: value });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^AGENTMC_API_GENERATION: /);
  });

  it('set but empty is refused like any variable', () => {
    expect(problemsOf({ AGENTMC_API_GENERATION: '' })).toEqual([
      'AGENTMC_API_GENERATION is set but empty; unset it or give it a value',
    ]);
  });
});

describe('the --api-generation flag', () => {
  const cli = (...args: string[]) => runGateway({ from: 'src', entry: 'cli', args });

  it('--help lists it beside the variable it mirrors', async () => {
    const { code, stdout } = await cli('--help');

    expect(code).toBe(0);
    expect(stdout).toContain('--api-generation');
    expect(stdout).toContain('AGENTMC_API_GENERATION');
  });

  it('a bad value is reported like the variable it sets', async () => {
    const { code, stderr } = await cli('--api-generation', 'both', '--upstream', 'https://agentmc.ai/api/v1');

    expect(code).toBe(1);
    expect(stderr).toMatch(/^Invalid configuration: AGENTMC_API_GENERATION: .+\n$/);
  });

  it('--api-generation hosts speaks the hosts generation, over the variable, and never reads the document', async () => {
    upstream = await startFakeUpstream();
    upstream.respondWith(hostsServer());
    const child = await startGateway({
      from: 'src',
      entry: 'cli',
      args: ['--port', '0', '--upstream', upstream.baseUrl.href, '--api-generation', 'hosts'],
      env: { AGENTMC_API_GENERATION: 'agents' },
    });
    try {
      const response = await fetch(child.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': HOST_KEY },
        body: JSON.stringify({ query: HOST_AGENT_QUERY }),
      });

      expect(await response.json()).toEqual({ data: { agent: { requestedSessions: [{ id: '701' }] } } });
      expect(callsTo(HOSTS_SESSIONS).map((request) => request.headers[AGENT_ID_HEADER])).toEqual(['7']);
      expect(documentReads()).toHaveLength(0);
    } finally {
      await child.stop();
    }
  });
});

describe('a configured generation', () => {
  it('is used from the start, logged as configured, and the document is never read', async () => {
    const target = await start(hostsServer(), { AGENTMC_API_GENERATION: 'hosts' });

    const response = await target.query(HOST_AGENT_QUERY, { headers: { 'x-api-key': HOST_KEY } });

    expect(response.body).toEqual({ data: { agent: { requestedSessions: [{ id: '701' }] } } });
    expect(generationLines(target)).toEqual([
      expect.objectContaining({ generation: 'hosts', source: 'configured', reason: expect.any(String) }),
    ]);
    expect(documentReads()).toHaveLength(0);
  });

  it('is never second-guessed: a route miss is NOT_FOUND, logged once with a hint, and the document stays unread', async () => {
    // Configured hosts in front of an agents-generation server.
    const target = await start(agentsServer(), { AGENTMC_API_GENERATION: 'hosts' });
    clockAhead(A_MINUTE_LATER_MS);

    const first = await target.query(HOST_AGENT_QUERY, { headers: { 'x-api-key': HOST_KEY } });
    const second = await target.query(HOST_AGENT_QUERY, { headers: { 'x-api-key': HOST_KEY } });
    await settle();

    for (const response of [first, second]) {
      expect(response.body.data).toEqual({ agent: null });
      expect(response.body.errors?.[0]?.extensions).toMatchObject({
        code: 'NOT_FOUND',
        upstream: { status: 404 },
      });
    }
    expect(callsTo(HOSTS_SESSIONS)).toHaveLength(2);
    expect(callsTo(AGENTS_SESSIONS)).toHaveLength(0);
    expect(documentReads()).toHaveLength(0);
    const misses = routeMissLines(target);
    expect(misses).toHaveLength(1);
    expect(misses[0]).toMatchObject({ level: 'warn', route: ROUTE });
    expect(String(misses[0]?.hint)).toContain('AGENTMC_API_GENERATION');
    expect(generationLines(target).map((line) => line.source)).toEqual(['configured']);
  });

  it('/readyz and the metric say which and why', async () => {
    const target = await start(agentsServer(), { AGENTMC_API_GENERATION: 'agents' });

    const { status, body } = await readyz(target);

    expect(status).toBe(200);
    expect(body).toEqual({
      ready: true,
      circuit: 'closed',
      apiGeneration: {
        setting: 'agents',
        generation: 'agents',
        source: 'configured',
        reason: expect.any(String),
      },
      live: { redis: 'off' },
    });
    expect(await generationSeries(target)).toEqual(['agents/configured']);
    expect(documentReads()).toHaveLength(0);
  });
});

describe('auto against a server that publishes its document', () => {
  it('a document listing the hosts routes: the hosts generation, the document read once without a key', async () => {
    const target = await start(hostsServer(), { AGENTMC_API_GENERATION: 'auto' });

    for (let i = 0; i < 3; i += 1) {
      const response = await target.query(HOST_AGENT_QUERY, { headers: { 'x-api-key': HOST_KEY } });
      expect(response.body).toEqual({ data: { agent: { requestedSessions: [{ id: '701' }] } } });
    }
    // An agent key too: the document, not the key, decides.
    const withAgentKey = await target.query(HOST_AGENT_QUERY, { headers: { 'x-api-key': AGENT_KEY } });

    expect(withAgentKey.body.errors).toBeUndefined();
    expect(upstream?.requests[0]?.path).toBe(OPENAPI_DOCUMENT_PATH);
    expect(documentReads()).toHaveLength(1);
    expect(documentReads()[0]?.method).toBe('GET');
    expect(documentReads()[0]?.headers['x-api-key']).toBeUndefined();
    expect(documentReads()[0]?.headers.authorization).toBeUndefined();
    expect(callsTo(HOSTS_SESSIONS)).toHaveLength(4);
    expect(callsTo(HOSTS_SESSIONS).every((request) => request.headers[AGENT_ID_HEADER] === '7')).toBe(true);
    expect(callsTo(AGENTS_SESSIONS)).toHaveLength(0);
    expect(generationLines(target)).toEqual([
      expect.objectContaining({ level: 'info', generation: 'hosts', source: 'openapi-document' }),
    ]);
    expect(routeMissLines(target)).toHaveLength(0);
  });

  it('/readyz and the metric report the document as the source', async () => {
    const target = await start(hostsServer(), { AGENTMC_API_GENERATION: 'auto' });
    await target.query(HOST_AGENT_QUERY, { headers: { 'x-api-key': HOST_KEY } });

    const { status, body } = await readyz(target);

    expect(status).toBe(200);
    expect(body).toEqual({
      ready: true,
      circuit: 'closed',
      apiGeneration: {
        setting: 'auto',
        generation: 'hosts',
        source: 'openapi-document',
        reason: expect.any(String),
      },
      live: { redis: 'off' },
    });
    expect(await generationSeries(target)).toEqual(['hosts/openapi-document']);
    // /ready is unchanged: a status, no body.
    const ready = await fetch(new URL('/ready', target.url));
    expect(ready.status).toBe(200);
    expect(await ready.text()).toBe('');
  });

  it('a document listing the agents routes: the agents generation, even for a host key', async () => {
    const target = await start(agentsServer(), { AGENTMC_API_GENERATION: 'auto' });

    const agent = await target.query(AGENT_QUERY, { headers: { 'x-api-key': AGENT_KEY } });
    const hostKey = await target.query(AGENT_QUERY, { headers: { 'x-api-key': HOST_KEY } });

    expect(agent.body).toEqual({ data: { agent: { requestedSessions: [{ id: '501' }] } } });
    expect(hostKey.body).toEqual({ data: { agent: { requestedSessions: [{ id: '501' }] } } });
    expect(callsTo(AGENTS_SESSIONS)).toHaveLength(2);
    expect(callsTo(AGENTS_SESSIONS).every((request) => request.headers[AGENT_ID_HEADER] === undefined)).toBe(
      true,
    );
    expect(callsTo(HOSTS_SESSIONS)).toHaveLength(0);
    expect(documentReads()).toHaveLength(1);
    expect(generationLines(target)).toEqual([
      expect.objectContaining({ generation: 'agents', source: 'openapi-document' }),
    ]);
    expect(await generationSeries(target)).toEqual(['agents/openapi-document']);
  });

  it('a document listing both: the hosts generation', async () => {
    const both = [...Object.values(AGENTS_PATHS), ...Object.values(HOSTS_PATHS)];
    const target = await start(
      server({
        [OPENAPI_DOCUMENT_PATH]: json(200, openApiDocument(both)),
        [HOSTS_SESSIONS]: hostsSessions,
        [AGENTS_SESSIONS]: agentsSessions,
      }),
      { AGENTMC_API_GENERATION: 'auto' },
    );

    await target.query(HOST_AGENT_QUERY, { headers: { 'x-api-key': AGENT_KEY } });

    expect(callsTo(HOSTS_SESSIONS)).toHaveLength(1);
    expect(callsTo(AGENTS_SESSIONS)).toHaveLength(0);
    expect(generationLines(target)).toEqual([
      expect.objectContaining({ generation: 'hosts', source: 'openapi-document' }),
    ]);
  });
});

describe('auto when the document cannot be read: by key kind', () => {
  it.each([
    ['a 404', raw(404, '<!doctype html><title>Not Found</title>', { 'content-type': 'text/html' })],
    ['not JSON', raw(200, '<!doctype html><title>AgentMC</title>', { 'content-type': 'text/html' })],
    ['a document without realtime routes', json(200, openApiDocument(['/teams']))],
  ])('%s: mca_ keys use /agents, any other key /hosts', async (_case, document) => {
    const target = await start(
      server({
        [OPENAPI_DOCUMENT_PATH]: document,
        [HOSTS_SESSIONS]: hostsSessions,
        [AGENTS_SESSIONS]: agentsSessions,
      }),
      { AGENTMC_API_GENERATION: 'auto' },
    );

    const agent = await target.query(AGENT_QUERY, { headers: { 'x-api-key': AGENT_KEY } });
    const host = await target.query(HOST_AGENT_QUERY, { headers: { 'x-api-key': HOST_KEY } });

    expect(agent.body).toEqual({ data: { agent: { requestedSessions: [{ id: '501' }] } } });
    expect(host.body).toEqual({ data: { agent: { requestedSessions: [{ id: '701' }] } } });
    expect(callsTo(AGENTS_SESSIONS).map((request) => request.headers['x-api-key'])).toEqual([AGENT_KEY]);
    expect(callsTo(AGENTS_SESSIONS)[0]?.headers[AGENT_ID_HEADER]).toBeUndefined();
    expect(callsTo(HOSTS_SESSIONS).map((request) => request.headers['x-api-key'])).toEqual([HOST_KEY]);
    expect(callsTo(HOSTS_SESSIONS)[0]?.headers[AGENT_ID_HEADER]).toBe('7');
    expect(documentReads()).toHaveLength(1);
    expect(generationLines(target)).toEqual([
      expect.objectContaining({ generation: null, source: 'key-kind', reason: expect.any(String) }),
    ]);
    expect(await generationSeries(target)).toEqual(['by-key/key-kind']);
    const { body } = await readyz(target);
    expect(body).toMatchObject({ apiGeneration: { setting: 'auto', generation: null, source: 'key-kind' } });
  });

  it('a document that never answers does not hold calls past the upstream deadline', async () => {
    const target = await start(server({ [OPENAPI_DOCUMENT_PATH]: hang, [AGENTS_SESSIONS]: agentsSessions }), {
      AGENTMC_API_GENERATION: 'auto',
      UPSTREAM_TIMEOUT_MS: '300',
    });

    const response = await target.query(AGENT_QUERY, { headers: { 'x-api-key': AGENT_KEY } });

    expect(response.body).toEqual({ data: { agent: { requestedSessions: [{ id: '501' }] } } });
    expect(generationLines(target).at(-1)).toMatchObject({ generation: null, source: 'key-kind' });
  });

  it('an unreachable upstream: /readyz is 503 with the generation still by key', async () => {
    const target = await startTestGateway(await refusingUpstreamUrl(), {
      AGENTMC_API_GENERATION: 'auto',
      UPSTREAM_TIMEOUT_MS: '300',
    });
    gateway = target;

    const { status, body } = await readyz(target);

    expect(status).toBe(503);
    expect(body).toMatchObject({
      ready: false,
      apiGeneration: { setting: 'auto', generation: null, source: 'key-kind' },
    });
  });
});

describe('auto re-detects after a route miss', () => {
  it('a server that moved to the hosts generation: NOT_FOUND once, the document read again, then /hosts', async () => {
    let migrated = false;
    const target = await start(
      (response, request) => (migrated ? hostsServer() : agentsServer())(response, request),
      { AGENTMC_API_GENERATION: 'auto' },
    );
    const headers = { 'x-api-key': HOST_KEY };

    const before = await target.query(AGENT_QUERY, { headers });
    expect(before.body).toEqual({ data: { agent: { requestedSessions: [{ id: '501' }] } } });
    expect(documentReads()).toHaveLength(1);

    // The server migrates: its agents routes are gone (route misses), its document lists the hosts routes.
    migrated = true;
    clockAhead(A_MINUTE_LATER_MS);
    const missed = await target.query(AGENT_QUERY, { headers });

    expect(missed.body.data).toEqual({ agent: null });
    expect(missed.body.errors).toHaveLength(1);
    expect(missed.body.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      upstream: { status: 404 },
    });
    await until(() => generationLines(target).some((line) => line.generation === 'hosts'));
    expect(documentReads()).toHaveLength(2);
    expect(documentReads()[1]?.headers['x-api-key']).toBeUndefined();
    expect(generationLines(target)).toEqual([
      expect.objectContaining({ generation: 'agents', source: 'openapi-document' }),
      expect.objectContaining({ generation: 'hosts', source: 'openapi-document' }),
    ]);

    const after = await target.query(HOST_AGENT_QUERY, { headers });

    expect(after.body).toEqual({ data: { agent: { requestedSessions: [{ id: '701' }] } } });
    expect(callsTo(HOSTS_SESSIONS).map((request) => request.headers[AGENT_ID_HEADER])).toEqual(['7']);
    expect(callsTo(AGENTS_SESSIONS)).toHaveLength(2);
    expect(await generationSeries(target)).toEqual(['hosts/openapi-document']);
    const { body } = await readyz(target);
    expect(body).toMatchObject({
      apiGeneration: { setting: 'auto', generation: 'hosts', source: 'openapi-document' },
    });

    const misses = routeMissLines(target);
    expect(misses).toHaveLength(1);
    expect(misses[0]).toMatchObject({ level: 'warn', route: ROUTE });
    expect(String(misses[0]?.hint)).toContain('AGENTMC_API_GENERATION');
  });

  it('a second route miss within the minute does not read the document again, nor log again', async () => {
    let phase: 'agents' | 'hosts' | 'gone' = 'agents';
    const target = await start(
      (response, request) => {
        if (phase === 'agents') return agentsServer()(response, request);
        if (phase === 'hosts') return hostsServer()(response, request);
        // Its document still lists the hosts routes, but they miss too.
        return server({ [OPENAPI_DOCUMENT_PATH]: json(200, openApiDocument(Object.values(HOSTS_PATHS))) })(
          response,
          request,
        );
      },
      { AGENTMC_API_GENERATION: 'auto' },
    );
    const headers = { 'x-api-key': HOST_KEY };
    await target.query(AGENT_QUERY, { headers });

    phase = 'hosts';
    clockAhead(A_MINUTE_LATER_MS);
    await target.query(AGENT_QUERY, { headers });
    await until(() => generationLines(target).some((line) => line.generation === 'hosts'));
    expect(documentReads()).toHaveLength(2);

    phase = 'gone';
    const first = await target.query(HOST_AGENT_QUERY, { headers });
    const second = await target.query(HOST_AGENT_QUERY, { headers });
    await settle();

    for (const response of [first, second]) {
      expect(response.body.errors?.[0]?.extensions).toMatchObject({
        code: 'NOT_FOUND',
        upstream: { status: 404 },
      });
    }
    expect(callsTo(HOSTS_SESSIONS)).toHaveLength(2);
    expect(documentReads()).toHaveLength(2);
    // Both misses were of the same operation: logged the first time only.
    expect(routeMissLines(target)).toHaveLength(1);
  });

  it('a documented 404 (the API envelope) is not a route miss: no re-read, no route-miss log', async () => {
    const target = await start(
      server({
        [OPENAPI_DOCUMENT_PATH]: json(200, openApiDocument(Object.values(HOSTS_PATHS))),
        [HOSTS_SESSIONS]: json(404, errorEnvelope('not_found', 'Agent not found.')),
      }),
      { AGENTMC_API_GENERATION: 'auto' },
    );
    await until(() => generationLines(target).length > 0);
    clockAhead(A_MINUTE_LATER_MS);

    const response = await target.query(HOST_AGENT_QUERY, { headers: { 'x-api-key': HOST_KEY } });
    await settle();

    expect(response.body.data).toEqual({ agent: null });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      upstream: { status: 404, code: 'not_found', message: 'Agent not found.' },
    });
    expect(documentReads()).toHaveLength(1);
    expect(routeMissLines(target)).toHaveLength(0);
    expect(generationLines(target)).toHaveLength(1);
  });
});
