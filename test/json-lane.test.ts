// Over 250 lines: each case the lane takes, replays or leaves, asserted against Yoga's own answer on the same server.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jsonMediaType, withJsonLane } from '../src/json-lane.js';
import { createLogger } from '../src/logger.js';
import { agentmc, envelope, json, startFakeUpstream, type FakeUpstream } from './support/fake-upstream.js';
import { fullSession, sessionsPayload } from './support/sessions.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/*
 * The JSON lane answers what Yoga would have answered, byte for byte but the request id, and
 * leaves Yoga everything else. Its own server here counts what reaches Yoga's node handler
 * (`next`) untouched and what the lane replays to it, around the real gateway's Yoga.
 */

const SESSIONS = '{ agent { requestedSessions(limit: 2) { id agentId status createdAt meta } } }';

let upstream: FakeUpstream;
let gateway: TestGateway;
let server: Server;
let laneUrl: URL;
let yogaCalls = 0;
let replays = 0;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway(upstream.baseUrl);
  const { yoga, metrics } = gateway.parts;
  // What reaches Yoga's node handler: a replay carries the body the lane read (`body`).
  const next: RequestListener = (request, response) => {
    if ((request as { body?: unknown }).body === undefined) yogaCalls += 1;
    else replays += 1;
    void yoga(request, response);
  };
  const logger = createLogger('silent');
  server = createServer(
    withJsonLane(next, {
      yoga,
      graphqlPath: '/graphql',
      metrics,
      logger,
      trustedDocuments: undefined,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  laneUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await gateway.close();
  await upstream.close();
});

beforeEach(() => {
  upstream.respondWith(agentmc());
  yogaCalls = 0;
  replays = 0;
});

interface Sent {
  body: string;
  headers?: Record<string, string>;
}

async function send(url: URL, { body, headers = {} }: Sent) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    requestId: response.headers.get('x-request-id'),
    text,
  };
}

/** The same request through the lane and through Yoga (the lane passes a URL with a query on). */
async function bothWays(sent: Sent) {
  const yogaUrl = new URL('?via=yoga', laneUrl);
  const viaYoga = await send(yogaUrl, sent);
  expect(yogaCalls).toBe(1);
  yogaCalls = 0;
  const viaLane = await send(laneUrl, sent);
  return { viaLane, viaYoga };
}

const KEY = { 'x-api-key': 'mca_lane_key' };

describe('the JSON lane answers as Yoga does', () => {
  const ran: [string, Sent][] = [
    ['a query', { body: JSON.stringify({ query: SESSIONS }), headers: KEY }],
    [
      'a query with variables and an operation name',
      {
        body: JSON.stringify({
          query: 'query S($n: Int) { agent { requestedSessions(limit: $n) { id } } }',
          variables: { n: 1 },
          operationName: 'S',
        }),
        headers: KEY,
      },
    ],
    ['a query without a key (UNAUTHENTICATED)', { body: JSON.stringify({ query: SESSIONS }) }],
    [
      'a query in GraphQL response JSON',
      {
        body: JSON.stringify({ query: SESSIONS }),
        headers: { ...KEY, accept: 'application/graphql-response+json, application/json' },
      },
    ],
    ['a document that does not parse', { body: JSON.stringify({ query: '{ agent {' }), headers: KEY }],
    [
      'a document that does not validate',
      { body: JSON.stringify({ query: '{ agent { nope } }' }), headers: KEY },
    ],
    [
      'a document with too many aliases (graphql-armor)',
      {
        body: JSON.stringify({
          query: `{ agent { ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} } }`,
        }),
        headers: KEY,
      },
    ],
    [
      'a variable of the wrong type',
      {
        body: JSON.stringify({
          query: 'query S($n: Int) { agent { requestedSessions(limit: $n) { id } } }',
          variables: { n: 'many' },
        }),
        headers: KEY,
      },
    ],
    [
      'an unknown operation name',
      { body: JSON.stringify({ query: SESSIONS, operationName: 'Nope' }), headers: KEY },
    ],
  ];

  it.each(ran)('%s: run in the lane, answered alike', async (_name, sent) => {
    const { viaLane, viaYoga } = await bothWays(sent);
    expect(yogaCalls).toBe(0);
    expect(replays).toBe(0);
    expect({ ...viaLane, requestId: undefined }).toEqual({ ...viaYoga, requestId: undefined });
    expect(viaLane.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers text beyond ASCII with its length in bytes, as Yoga does', async () => {
    const meta = { page: '/café', note: 'naïve ✓ 👋' };
    upstream.respondWith(agentmc(json(200, sessionsPayload([{ ...fullSession, meta }]))));
    const yoga = await fetch(new URL('?via=yoga', laneUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...KEY },
      body: JSON.stringify({ query: SESSIONS }),
    });
    const lane = await fetch(laneUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...KEY },
      body: JSON.stringify({ query: SESSIONS }),
    });
    const laneText = await lane.text();
    expect(laneText).toBe(await yoga.text());
    expect(lane.headers.get('content-length')).toBe(String(Buffer.byteLength(laneText)));
    expect(Buffer.byteLength(laneText)).toBeGreaterThan(laneText.length);
    const sessions = (JSON.parse(laneText) as { data: { agent: { requestedSessions: { meta: unknown }[] } } })
      .data.agent.requestedSessions;
    expect(sessions[0]?.meta).toEqual(meta);
  });

  it('an upstream failure maps to the same error in the lane', async () => {
    upstream.respondWith(envelope(404, { code: 'not_found', message: 'No such agent.' }));
    const { viaLane, viaYoga } = await bothWays({ body: JSON.stringify({ query: SESSIONS }), headers: KEY });
    expect(yogaCalls).toBe(0);
    expect(JSON.parse(viaLane.text)).toEqual(JSON.parse(viaYoga.text));
    expect(JSON.parse(viaLane.text).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  const replayed: [string, Sent][] = [
    ['a body that is not JSON', { body: '{ "query": ', headers: KEY }],
    ['a batch (an array)', { body: JSON.stringify([{ query: SESSIONS }]), headers: KEY }],
    ['a parameter Yoga does not know', { body: JSON.stringify({ query: SESSIONS, extra: 1 }), headers: KEY }],
    ['a query that is not a string', { body: JSON.stringify({ query: 7 }), headers: KEY }],
    ['no query at all', { body: JSON.stringify({ variables: {} }), headers: KEY }],
    [
      'a subscription',
      {
        body: JSON.stringify({
          query: 'subscription { requestedSessionsChanged(limit: 1) { sessions { id } } }',
        }),
        headers: KEY,
      },
    ],
  ];

  it.each(replayed)('%s: replayed through Yoga, answered alike', async (_name, sent) => {
    const { viaLane, viaYoga } = await bothWays(sent);
    expect(yogaCalls).toBe(0);
    expect(replays).toBe(1);
    expect({ ...viaLane, requestId: undefined }).toEqual({ ...viaYoga, requestId: undefined });
  });

  it('keeps the client’s request id and sends it upstream', async () => {
    const answer = await send(laneUrl, {
      body: JSON.stringify({ query: SESSIONS }),
      headers: { ...KEY, 'x-request-id': 'agent-run-42' },
    });
    expect(yogaCalls).toBe(0);
    expect(answer.requestId).toBe('agent-run-42');
    expect(upstream.requests.at(-1)?.headers['x-request-id']).toBe('agent-run-42');
  });

  it('times its answers in the HTTP histogram as Yoga does', async () => {
    const metric = 'agentmc_graphql_http_request_duration_seconds_count{method="POST",status_code="200"}';
    const count = async () => {
      const text = await (await fetch(new URL('/metrics', laneUrl))).text();
      return Number(
        text
          .split('\n')
          .find((line) => line.startsWith(metric))
          ?.split(' ')
          .pop() ?? 0,
      );
    };
    const before = await count();
    await send(laneUrl, { body: JSON.stringify({ query: SESSIONS }), headers: KEY });
    await send(laneUrl, { body: JSON.stringify({ query: SESSIONS }), headers: KEY });
    expect(yogaCalls).toBe(1); // the /metrics scrape before
    expect(await count()).toBe(before + 2);
  });
});

describe('a subscription posted to the lane', () => {
  it('streams from Yoga when the client accepts a stream (SSE), replayed', async () => {
    const controller = new AbortController();
    const response = await fetch(laneUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream, application/json', ...KEY },
      body: JSON.stringify({
        query: 'subscription { requestedSessionsChanged(limit: 2) { sessions { id } } }',
      }),
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('"requestedSessionsChanged"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain('"requestedSessionsChanged"');
    expect(replays).toBe(1);
    expect(yogaCalls).toBe(0);
  });
});

describe('what the lane leaves to Yoga', () => {
  const left: [string, Sent][] = [
    [
      'a browser’s request (Origin)',
      { body: JSON.stringify({ query: SESSIONS }), headers: { ...KEY, origin: 'https://app.example' } },
    ],
    [
      'an Accept only a stream answers',
      { body: JSON.stringify({ query: SESSIONS }), headers: { ...KEY, accept: 'text/event-stream' } },
    ],
    [
      'an Accept no JSON type matches',
      { body: JSON.stringify({ query: SESSIONS }), headers: { ...KEY, accept: 'text/html' } },
    ],
    ['another content type', { body: SESSIONS, headers: { ...KEY, 'content-type': 'application/graphql' } }],
    ['an empty body', { body: '', headers: KEY }],
  ];

  it.each(left)('%s', async (_name, sent) => {
    await send(laneUrl, sent);
    expect(yogaCalls).toBe(1);
    expect(replays).toBe(0);
  });

  it('a GET, and every path but the endpoint', async () => {
    await fetch(new URL(`?query=${encodeURIComponent(SESSIONS)}`, laneUrl), { headers: KEY });
    await fetch(new URL('/readyz', laneUrl));
    expect(yogaCalls).toBe(2);
  });
});

describe('jsonMediaType: the type Yoga answers with', () => {
  const accepts: [string | undefined, string | null][] = [
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['application/json', 'application/json'],
    ['application/*', 'application/json'],
    ['application/graphql-response+json', 'application/graphql-response+json'],
    ['application/graphql-response+json, application/json;q=0.9', 'application/graphql-response+json'],
    ['application/json, application/graphql-response+json', 'application/json'],
    ['text/event-stream, application/json', 'application/json'],
    ['Application/JSON; charset=UTF-8', 'application/json'],
    ['application/json; charset=latin1', null],
    ['text/event-stream', null],
    ['multipart/mixed', null],
    ['text/html', null],
  ];

  it.each(accepts)('Accept %s → %s, and Yoga agrees', async (accept, expected) => {
    expect(jsonMediaType(accept)).toBe(expected);
    // Yoga's own answer to the same Accept (a URL with a query on is never the lane's).
    const response = await fetch(new URL('?via=yoga', laneUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...KEY, ...(accept === undefined ? {} : { accept }) },
      body: JSON.stringify({ query: SESSIONS }),
    });
    await response.text();
    const answered = response.headers.get('content-type')?.split(';')[0] ?? null;
    if (expected === null) expect(answered ?? 'none').not.toMatch(/json/);
    else expect(answered).toBe(expected);
  });
});

describe('a client that leaves', () => {
  it('in the middle of its body leaves the lane serving the next request', async () => {
    const { connect } = await import('node:net');
    const socket = connect(Number(laneUrl.port), laneUrl.hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\naccept: application/json\r\n' +
        'content-length: 100\r\n\r\n{"query":',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));

    const answer = await send(laneUrl, { body: JSON.stringify({ query: SESSIONS }), headers: KEY });
    expect(answer.status).toBe(200);
    expect(yogaCalls).toBe(0);
  });
});
