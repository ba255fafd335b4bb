// Over 250 lines: the whole upstream status → GraphQL error table, one case per row; the table reads best in one place.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  envelope,
  hang,
  json,
  raw,
  refusingUpstreamUrl,
  reset,
  type Responder,
} from './support/fake-upstream.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from './support/gateway.js';
import { useGateway } from './support/harness.js';
import { fullSession, sessionsPayload } from './support/sessions.js';

const KEY = 'mca_secret_key_never_echoed_42';
const QUERY = '{ agent { requestedSessions(limit: 7) { id } } }';

const harness = useGateway({
  UPSTREAM_HEADERS_TIMEOUT_MS: '300',
  UPSTREAM_BODY_TIMEOUT_MS: '300',
  UPSTREAM_MAX_BODY_BYTES: '65536',
});

/** The one error of a failed requestedSessions field, after checking what every error shares. */
async function failWith(
  responder: Responder,
  target: TestGateway = harness.gateway,
): Promise<Record<string, unknown>> {
  harness.upstream.respondWith(responder);
  const response = await target.query(QUERY, { headers: { 'x-api-key': KEY } });
  expectSafeFieldError(response);
  return response.body.errors?.[0]?.extensions ?? {};
}

function expectSafeFieldError(response: GraphQLResponse): void {
  // Upstream failures are field errors: HTTP 200 with data and errors.
  expect(response.status).toBe(200);
  expect(response.body.data).toEqual({ agent: null });
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors?.[0]?.path).toEqual(['agent', 'requestedSessions']);
  expect(response.body.errors?.[0]?.extensions?.http).toBeUndefined();
  // Nothing that identifies the caller or our internals leaks.
  for (const secret of [
    KEY,
    'limit=7',
    '127.0.0.1',
    '/api/v1',
    'node_modules',
    '/work/',
    'stack',
    'ECONN',
    'UND_ERR',
  ]) {
    expect(response.text).not.toContain(secret);
  }
}

describe('upstream error statuses, each row of the table', () => {
  const details = { fields: { limit: ['The limit must be at most 100.'] } };

  it.each([
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [409, 'CONFLICT'],
    [400, 'UPSTREAM_REJECTED'],
    [405, 'UPSTREAM_REJECTED'],
    [418, 'UPSTREAM_REJECTED'],
    [500, 'UPSTREAM_UNAVAILABLE'],
    [502, 'UPSTREAM_UNAVAILABLE'],
    [503, 'UPSTREAM_UNAVAILABLE'],
    [504, 'UPSTREAM_UNAVAILABLE'],
  ])('%i with the envelope is %s with extensions.upstream', async (status, code) => {
    const extensions = await failWith(
      envelope(status, { code: 'agent.denied', message: 'Agent key denied.' }, { 'x-request-id': 'req-123' }),
    );

    expect(extensions).toEqual({
      code,
      upstream: { status, code: 'agent.denied', message: 'Agent key denied.', requestId: 'req-123' },
      ...(code === 'UPSTREAM_UNAVAILABLE' ? {} : {}),
    });
  });

  it('422 is BAD_USER_INPUT with the fields from details.fields', async () => {
    const extensions = await failWith(
      envelope(422, { code: 'validation.failed', message: 'Validation failed.', details }),
    );

    expect(extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: { limit: ['The limit must be at most 100.'] },
      upstream: { status: 422, code: 'validation.failed', message: 'Validation failed.' },
    });
  });

  it('429 is RATE_LIMITED with retryAfter from Retry-After in seconds', async () => {
    const extensions = await failWith(
      envelope(429, { code: 'rate_limited', message: 'Too many requests.' }, { 'retry-after': '17' }),
    );

    expect(extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 17, upstream: { status: 429 } });
  });

  it('429 reads Retry-After as an HTTP date', async () => {
    const inNinetySeconds = new Date(Date.now() + 90_000).toUTCString();
    const extensions = await failWith(raw(429, '', { 'retry-after': inNinetySeconds }));

    expect(extensions.code).toBe('RATE_LIMITED');
    expect(extensions.retryAfter).toBeGreaterThanOrEqual(88);
    expect(extensions.retryAfter).toBeLessThanOrEqual(91);
  });

  it('429 falls back to details.retry_after of the envelope', async () => {
    const extensions = await failWith(
      envelope(429, { code: 'rate_limited', message: 'Slow down.', details: { retry_after: 30 } }),
    );

    expect(extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 30 });
  });

  it('429 without any hint has no retryAfter', async () => {
    const extensions = await failWith(raw(429, ''));

    expect(extensions).toEqual({ code: 'RATE_LIMITED', upstream: { status: 429 } });
  });

  it('503 with Retry-After carries retryAfter', async () => {
    const extensions = await failWith(raw(503, '', { 'retry-after': '5' }));

    expect(extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', retryAfter: 5, upstream: { status: 503 } });
  });
});

describe('error bodies that are not the envelope still map by status', () => {
  it.each([
    [
      'HTML from a proxy',
      502,
      '<html><body><h1>502 Bad Gateway</h1>nginx at /var/www</body></html>',
      'text/html',
      'UPSTREAM_UNAVAILABLE',
    ],
    ['an empty body', 401, '', 'application/json', 'UNAUTHENTICATED'],
    ['JSON of another shape', 403, '{"message":"nope"}', 'application/json', 'FORBIDDEN'],
    ['broken JSON', 404, '{"error": {', 'application/json', 'NOT_FOUND'],
    ['plain text', 418, 'I am a teapot', 'text/plain', 'UPSTREAM_REJECTED'],
  ])('%s', async (_case, status, body, contentType, code) => {
    const extensions = await failWith(raw(status, body, { 'content-type': contentType }));

    expect(extensions).toEqual({ code, upstream: { status } });
  });
});

describe('upstream text that would leak internals is withheld', () => {
  it.each([
    ['a stack frame', 'Error at handler (/srv/app/vendor/laravel/Router.php:120)'],
    ['SQL', 'SQLSTATE[42S02]: select * from sessions where agent_id = 1'],
    ['an address', 'connect ECONNREFUSED 10.0.3.42:5432'],
    ['a socket error code', 'read ECONNRESET'],
    ['HTML', '<b>Fatal</b>'],
    ['the caller key', `Key ${KEY} is revoked`],
    ['a control character', 'line one\nline two'],
  ])('an envelope message with %s is dropped, the code stays', async (_case, message) => {
    const extensions = await failWith(envelope(500, { code: 'server.error', message }));

    expect(extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: { status: 500, code: 'server.error' },
    });
  });

  it.each(['The session has expired.', 'The session has ended.', 'Session already exists.'])(
    'plain words that start with e are relayed: %s',
    async (message) => {
      const extensions = await failWith(envelope(409, { code: 'realtime.conflict', message }));

      expect(extensions).toEqual({
        code: 'CONFLICT',
        upstream: { status: 409, code: 'realtime.conflict', message },
      });
    },
  );

  it('only the request id and Retry-After are taken from upstream headers', async () => {
    const extensions = await failWith(
      envelope(
        503,
        { code: 'down', message: 'Down for maintenance.' },
        {
          'x-request-id': 'abc-789',
          'retry-after': '3',
          server: 'nginx/1.25.3',
          'set-cookie': 'session=secret',
          'x-debug-path': '/srv/app',
        },
      ),
    );

    expect(extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      retryAfter: 3,
      upstream: { status: 503, code: 'down', message: 'Down for maintenance.', requestId: 'abc-789' },
    });
  });
});

describe('unusable 2xx and 3xx answers are UPSTREAM_BAD_RESPONSE', () => {
  it.each([
    ['non-JSON', raw(200, 'not json at all', { 'content-type': 'application/json' }), 'not JSON'],
    ['an empty body', raw(200, '', { 'content-type': 'application/json' }), 'empty body'],
    [
      'a wrong content type',
      raw(200, JSON.stringify(sessionsPayload()), { 'content-type': 'text/html' }),
      'unexpected content type',
    ],
    ['no content type', raw(200, JSON.stringify(sessionsPayload())), 'unexpected content type'],
    ['a 204', raw(204, ''), 'unexpected status'],
    ['a body over the byte cap', json(200, { data: [], padding: 'x'.repeat(200_000) }), 'body too large'],
  ])('%s', async (_case, responder, reason) => {
    const extensions = await failWith(responder);

    expect(extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', reason });
  });

  it.each([
    ['data missing', { sessions: [] }, 'data'],
    ['data not a list', { data: {} }, 'data'],
    ['an id that is a string', { data: [{ ...fullSession, id: '501' }] }, 'data[0].id'],
    ['a required field missing', { data: [{ ...fullSession, team_id: undefined }] }, 'data[0].team_id'],
    [
      'a timestamp that is not RFC 3339',
      { data: [{ ...fullSession, claimed_at: 'yesterday' }] },
      'data[0].claimed_at',
    ],
    ['meta that is a string', { data: [{ ...fullSession, meta: 'x' }] }, 'data[0].meta'],
    [
      'a socket without its connection',
      { data: [fullSession, { ...fullSession, socket: { channel: 'c' } }] },
      'data[1].socket.connection',
    ],
    ['a null status', { data: [{ ...fullSession, status: null }] }, 'data[0].status'],
  ])('an invalid shape: %s, naming where', async (_case, body, path) => {
    const extensions = await failWith(json(200, body));

    expect(extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', reason: 'invalid shape' });
    const response = await harness.gateway.query(QUERY, { headers: { 'x-api-key': KEY } });
    expect(response.body.errors?.[0]?.message).toContain(`at ${path}.`);
  });

  it('a redirect is never followed, so the key never travels to another host', async () => {
    const elsewhere: string[] = [];
    const otherHost = createServer((request, response) => {
      elsewhere.push(String(request.headers['x-api-key']));
      response.end('{}');
    });
    await new Promise<void>((resolve) => otherHost.listen(0, '127.0.0.1', resolve));
    const { port } = otherHost.address() as AddressInfo;
    try {
      for (const status of [301, 302, 307, 308]) {
        const extensions = await failWith(
          raw(status, '', { location: `http://127.0.0.1:${port}/api/v1/agents/realtime/sessions/requested` }),
        );
        expect(extensions).toEqual({
          code: 'UPSTREAM_BAD_RESPONSE',
          reason: 'redirect',
          upstream: { status },
        });
      }
      expect(elsewhere).toEqual([]);
    } finally {
      otherHost.close();
    }
  });
});

describe('transport failures', () => {
  it('a refused connection is UPSTREAM_UNAVAILABLE', async () => {
    const refused = await startTestGateway(await refusingUpstreamUrl());
    try {
      const response = await refused.query(QUERY, { headers: { 'x-api-key': KEY } });
      expectSafeFieldError(response);
      expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
    } finally {
      await refused.close();
    }
  });

  it('a host that does not resolve is UPSTREAM_UNAVAILABLE', async () => {
    const nowhere = await startTestGateway(new URL('http://agentmc-gateway-test.invalid/api/v1'));
    try {
      const response = await nowhere.query(QUERY, { headers: { 'x-api-key': KEY } });
      expectSafeFieldError(response);
      expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(response.text).not.toContain('agentmc-gateway-test.invalid');
    } finally {
      await nowhere.close();
    }
  });

  it('a connection reset before any answer is UPSTREAM_UNAVAILABLE', async () => {
    expect(await failWith(reset)).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('a reset in the middle of the body is UPSTREAM_UNAVAILABLE', async () => {
    const extensions = await failWith((response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('{"data": [');
      setTimeout(() => response.socket?.destroy(), 20);
    });

    expect(extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('an upstream that never answers is UPSTREAM_TIMEOUT after the headers deadline', async () => {
    const extensions = await failWith(hang);

    expect(extensions).toEqual({ code: 'UPSTREAM_TIMEOUT' });
  });

  it('a body that stalls is UPSTREAM_TIMEOUT after the body deadline', async () => {
    const extensions = await failWith((response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"data": [');
    });

    expect(extensions).toEqual({ code: 'UPSTREAM_TIMEOUT' });
  });

  it('the timeout message says which deadline passed', async () => {
    harness.upstream.respondWith(hang);
    const response = await harness.gateway.query(QUERY, { headers: { 'x-api-key': KEY } });

    expect(response.body.errors?.[0]?.message).toBe(
      'The AgentMC API did not answer in time. No response headers within 300 ms.',
    );
  });
});

describe('the upstream recovers', () => {
  it('a failure is not remembered: the next request succeeds', async () => {
    await failWith(raw(503, ''));
    harness.upstream.respondWith(json(200, sessionsPayload()));

    const response = await harness.gateway.query(QUERY, { headers: { 'x-api-key': KEY } });

    expect(response.body.errors).toBeUndefined();
  });
});
