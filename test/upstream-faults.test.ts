// Over 250 lines: every transport fault (reset, hang, slow body, retries, breaker) against one fake upstream; one concern.
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  agentmc,
  delayed,
  envelope,
  hang,
  json,
  raw,
  reset,
  sequence,
  type Responder,
} from './support/fake-upstream.js';
import { useGateway } from './support/harness.js';
import { sessionsPayload } from './support/sessions.js';

const KEY = 'mca_fault_tests_key';
const QUERY = '{ agent { requestedSessions(limit: 2) { id } } }';
const ok = json(200, sessionsPayload());

const harness = useGateway({
  UPSTREAM_TIMEOUT_MS: '1500',
  UPSTREAM_RETRY_BASE_MS: '20',
  UPSTREAM_RETRY_MAX_MS: '50',
  // Faults here are deliberate; the breaker has its own tests below.
  BREAKER_MIN_CALLS: '10000',
});

async function run(responder: Responder) {
  harness.upstream.respondWith(responder);
  const response = await harness.gateway.query(QUERY, { headers: { 'x-api-key': KEY } });
  return {
    body: response.body,
    text: response.text,
    extensions: response.body.errors?.[0]?.extensions,
    attempts: harness.upstream.requests.length,
  };
}

/** Sends the query over a raw connection and drops it as soon as the upstream has been called. */
async function disconnectOnceUpstreamIsCalled(): Promise<void> {
  const client = httpRequest(harness.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY },
  });
  client.on('error', () => undefined);
  client.end(JSON.stringify({ query: QUERY }));
  while (harness.upstream.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  client.destroy();
}

describe('one total deadline per upstream call', () => {
  it('a body trickling one byte every 200 ms (defeating the gap timer) is UPSTREAM_TIMEOUT', async () => {
    const trickle: Responder = (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write(' '), 200);
      response.once('close', () => clearInterval(timer));
    };

    const { extensions, body, attempts } = await run(trickle);

    expect(extensions).toEqual({ code: 'UPSTREAM_TIMEOUT' });
    expect(body.errors?.[0]?.message).toBe(
      'The AgentMC API did not answer in time. No complete response within 1500 ms.',
    );
    expect(attempts).toBe(1);
    // The gateway hung up on the upstream instead of reading on.
    expect(await harness.upstream.requests[0]?.abandoned).toBe(true);
  });

  it('a client that disconnects aborts the upstream request', async () => {
    harness.upstream.respondWith(hang);

    await disconnectOnceUpstreamIsCalled();

    expect(await harness.upstream.requests[0]?.abandoned).toBe(true);
  });
});

describe('retries', () => {
  it.each([502, 503, 504])('retries %i and answers with the data of a later attempt', async (status) => {
    const { body, attempts } = await run(sequence(raw(status, ''), raw(status, ''), ok));

    expect(body.errors).toBeUndefined();
    expect(attempts).toBe(3);
  });

  it('makes at most 3 attempts in all, then answers UPSTREAM_UNAVAILABLE', async () => {
    const { extensions, attempts } = await run(raw(503, ''));

    expect(extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: { status: 503 } });
    expect(attempts).toBe(3);
  });

  it('answers with the last attempt, its envelope included', async () => {
    const { extensions } = await run(
      sequence(
        raw(502, '<html>bad gateway</html>'),
        envelope(503, { code: 'maintenance', message: 'Back soon.' }),
      ),
    );

    expect(extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: { status: 503, code: 'maintenance', message: 'Back soon.' },
    });
  });

  it.each([
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [409, 'CONFLICT'],
    [422, 'BAD_USER_INPUT'],
    [500, 'UPSTREAM_UNAVAILABLE'],
    [400, 'UPSTREAM_REJECTED'],
  ])('never retries %i', async (status, code) => {
    const { extensions, attempts } = await run(sequence(raw(status, ''), ok));

    expect(extensions?.code).toBe(code);
    expect(attempts).toBe(1);
  });

  it('retries a reset on a reused keep-alive socket once, transparently', async () => {
    harness.upstream.respondWith(ok);
    await harness.gateway.query(QUERY, { headers: { 'x-api-key': KEY } });
    harness.upstream.requests.length = 0;

    const { body, attempts } = await run(sequence(reset, ok));

    expect(body.errors).toBeUndefined();
    expect(attempts).toBe(2);
  });

  it('gives up after 3 resets with UPSTREAM_UNAVAILABLE', async () => {
    const { extensions, attempts } = await run(reset);

    expect(extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(attempts).toBe(3);
  });

  it('retries a body broken off while it was being read, like a reset before the answer', async () => {
    const broken: Responder = (response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      response.write('{"data": [');
      setTimeout(() => response.socket?.destroy(), 20);
    };
    const { body, attempts } = await run(sequence(broken, ok));

    expect(body).toEqual({ data: { agent: { requestedSessions: [{ id: '501' }, { id: '502' }] } } });
    expect(attempts).toBe(2);
  });

  it('never retries an answer that is too slow (a timeout is not a connect error)', async () => {
    const { extensions, attempts } = await run(hang);

    expect(extensions?.code).toBe('UPSTREAM_TIMEOUT');
    expect(attempts).toBe(1);
  });
});

describe('Retry-After', () => {
  it('429 with a Retry-After that fits the deadline: waits for it, then retries', async () => {
    const { body, attempts } = await run(sequence(raw(429, '', { 'retry-after': '1' }), ok));

    expect(body.errors).toBeUndefined();
    expect(attempts).toBe(2);
    const [first, second] = harness.upstream.requests;
    // Never sooner than the upstream asked.
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('a client that disconnects during the wait: no further attempt', async () => {
    harness.upstream.respondWith(sequence(raw(429, '', { 'retry-after': '1' }), ok));

    await disconnectOnceUpstreamIsCalled();
    // Past the one-second wait: a second attempt would have been made by now.
    await new Promise((resolve) => setTimeout(resolve, 1300));

    expect(harness.upstream.requests).toHaveLength(1);
  });

  it('429 with a Retry-After past the deadline: RATE_LIMITED at once with retryAfter', async () => {
    const { extensions, attempts } = await run(sequence(raw(429, '', { 'retry-after': '30' }), ok));

    expect(extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 30, upstream: { status: 429 } });
    expect(attempts).toBe(1);
  });

  it('429 with Retry-After as an HTTP date past the deadline: RATE_LIMITED with retryAfter', async () => {
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    const { extensions, attempts } = await run(raw(429, '', { 'retry-after': inAMinute }));

    expect(extensions?.code).toBe('RATE_LIMITED');
    // The date has whole seconds: 59 to 60 s away when sent, a little less when read.
    expect(extensions?.retryAfter).toBeGreaterThanOrEqual(58);
    expect(extensions?.retryAfter).toBeLessThanOrEqual(60);
    expect(attempts).toBe(1);
  });

  it('429 without Retry-After is not retried', async () => {
    const { extensions, attempts } = await run(sequence(raw(429, ''), ok));

    expect(extensions).toEqual({ code: 'RATE_LIMITED', upstream: { status: 429 } });
    expect(attempts).toBe(1);
  });

  it('503 with a Retry-After past the deadline: UPSTREAM_UNAVAILABLE at once with retryAfter', async () => {
    const { extensions, attempts } = await run(sequence(raw(503, '', { 'retry-after': '20' }), ok));

    expect(extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', retryAfter: 20, upstream: { status: 503 } });
    expect(attempts).toBe(1);
  });
});

describe('the byte cap', () => {
  it('a declared 10 MB body is UPSTREAM_BAD_RESPONSE without being read', async () => {
    const tenMegabytes = 10 * 1024 * 1024;
    const { extensions, text } = await run((response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(tenMegabytes) });
      response.write('{"data": [], "padding": "');
      const chunk = 'x'.repeat(64 * 1024);
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    });

    expect(extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', reason: 'body too large' });
    expect(text.length).toBeLessThan(2000);
    expect(await harness.upstream.requests[0]?.abandoned).toBe(true);
  });

  it('an undeclared (chunked) 10 MB body is cut off at the cap', async () => {
    const { extensions, text } = await run((response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"data": [], "padding": "');
      let sent = 0;
      const chunk = 'x'.repeat(64 * 1024);
      const pump = () => {
        while (!response.destroyed && sent < 10 * 1024 * 1024 && response.write(chunk)) sent += chunk.length;
        if (!response.destroyed && sent < 10 * 1024 * 1024) response.once('drain', pump);
        else if (!response.destroyed) response.end('"}');
      };
      pump();
    });

    expect(extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', reason: 'body too large' });
    expect(text).not.toContain('xxxxxxxx');
  });
});

describe('no head-of-line blocking', () => {
  it('forty hung upstream requests do not hold up a healthy one', async () => {
    harness.upstream.respondWith((response, request) =>
      request.headers['x-api-key'] === 'mca_healthy' ? ok(response, request) : hang(response, request),
    );
    let hungSettled = 0;
    const hung = Array.from({ length: 40 }, (_, i) =>
      harness.gateway
        .query(QUERY, { headers: { 'x-api-key': `mca_hung_${i}` } })
        .finally(() => (hungSettled += 1)),
    );
    while (harness.upstream.requests.length < 40) await new Promise((resolve) => setTimeout(resolve, 5));

    const healthy = await harness.gateway.query(QUERY, { headers: { 'x-api-key': 'mca_healthy' } });

    expect(healthy.body.errors).toBeUndefined();
    expect(hungSettled).toBe(0);
    const results = await Promise.all(hung);
    expect(results.every((result) => result.body.errors?.[0]?.extensions?.code === 'UPSTREAM_TIMEOUT')).toBe(
      true,
    );
  });
});

describe('upstream text never reaches a client', () => {
  it('a JSON parser message, an address or a socket error code is never relayed', async () => {
    for (const responder of [
      raw(200, '{"data": [tru', { 'content-type': 'application/json' }),
      reset,
      delayed(5, envelope(503, { code: 'x', message: 'connect ECONNREFUSED 10.1.2.3:5432' })),
    ]) {
      harness.upstream.requests.length = 0;
      const { text } = await run(responder);
      expect(text).not.toMatch(/Unexpected|JSON at position|ECONN|10\.1\.2\.3|127\.0\.0\.1|socket/i);
    }
  });
});

describe('after every fault above', () => {
  it('the gateway still serves', async () => {
    const { body, attempts } = await run(ok);

    expect(body.errors).toBeUndefined();
    expect(attempts).toBe(1);
  });
});

describe('the circuit breaker', () => {
  const breaker = useGateway({
    UPSTREAM_RETRY_ATTEMPTS: '1',
    BREAKER_MIN_CALLS: '3',
    BREAKER_ERROR_PERCENT: '50',
    BREAKER_RESET_MS: '300',
  });
  const ask = (key = KEY) => breaker.gateway.query(QUERY, { headers: { 'x-api-key': key } });

  it('opens after a run of failures, fails fast without calling upstream, probes and closes by itself', async () => {
    breaker.upstream.respondWith(raw(502, ''));
    for (let i = 0; i < 3; i += 1) await ask();
    expect(breaker.upstream.requests).toHaveLength(3);

    const fast = await ask();
    expect(fast.body.errors?.[0]?.extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      circuitOpen: true,
      retryAfter: 1,
    });
    expect(breaker.upstream.requests).toHaveLength(3);

    breaker.upstream.respondWith(agentmc());
    let recovered = await ask();
    while (recovered.body.errors?.[0]?.extensions?.circuitOpen) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      recovered = await ask();
    }
    expect(recovered.body.errors).toBeUndefined();
    expect((await ask()).body.errors).toBeUndefined();
  });

  it("is not opened by callers' own errors (401, 429)", async () => {
    breaker.upstream.respondWith(
      sequence(raw(401, ''), raw(429, ''), raw(401, ''), raw(429, ''), raw(401, ''), ok),
    );
    for (let i = 0; i < 5; i += 1) await ask(`mca_bad_${i}`);

    const after = await ask();

    expect(after.body.errors).toBeUndefined();
    expect(breaker.upstream.requests).toHaveLength(6);
  });
});

describe("the circuit breaker's window", () => {
  const windowed = useGateway({
    UPSTREAM_RETRY_ATTEMPTS: '1',
    BREAKER_MIN_CALLS: '3',
    BREAKER_ERROR_PERCENT: '50',
    BREAKER_WINDOW_MS: '500',
  });
  const ask = () => windowed.gateway.query(QUERY, { headers: { 'x-api-key': KEY } });

  it('forgets failures older than the window', async () => {
    windowed.upstream.respondWith(raw(502, ''));
    await ask();
    await ask();
    await new Promise((resolve) => setTimeout(resolve, 700));
    // A third failure, but the first two have left the window: still closed.
    await ask();
    const fourth = await ask();

    expect(fourth.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(fourth.body.errors?.[0]?.extensions?.circuitOpen).toBeUndefined();
    expect(windowed.upstream.requests).toHaveLength(4);
  });
});
