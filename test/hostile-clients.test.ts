import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useGateway } from './support/harness.js';

const headers = { 'x-api-key': 'mca_hostile_tests' };

function aliases(count: number): string {
  return Array.from({ length: count }, (_, i) => `a${i}: requestedSessions(limit: 5) { id }`).join(' ');
}

describe('limits on documents (graphql-armor), refused before execution', () => {
  const harness = useGateway();
  const costly = useGateway({ MAX_COST: '20' });

  it('1000 aliases of requestedSessions are refused and cost no upstream call', async () => {
    const response = await harness.gateway.query(`{ agent { ${aliases(1000)} } }`, { headers });

    expect(response.body.data).toBeUndefined();
    // The token limit trips first, while parsing; the alias limit would trip during validation.
    expect(response.body.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
      ['Syntax Error: Token limit of 1000 exceeded.', 'GRAPHQL_PARSE_FAILED'],
    ]);
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('mutations are held to the same limits: 16 aliased sends are refused and nothing is posted', async () => {
    const sends = Array.from(
      { length: 16 },
      (_, i) => `s${i}: sendRealtimeSignal(sessionId: "1", type: "message") { id }`,
    ).join(' ');
    const response = await harness.gateway.query(`mutation { ${sends} }`, { headers });

    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
      ['Aliases limit of 15 exceeded, found 16.', 'GRAPHQL_VALIDATION_FAILED'],
    ]);
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('15 aliases pass, and identical ones cost one upstream call', async () => {
    const response = await harness.gateway.query(`{ agent { ${aliases(15)} } }`, { headers });

    expect(response.body.errors).toBeUndefined();
    expect(harness.upstream.requests).toHaveLength(1);
  });

  it.each([
    [
      'depth',
      `{ agent { requestedSessions { agent { requestedSessions { agent { requestedSessions { agent { requestedSessions { id } } } } } } } } }`,
      /Query depth limit of 8 exceeded/,
    ],
    ['tokens', `{ agent { requestedSessions { ${'id '.repeat(1200)} } } }`, /Token limit of 1000 exceeded/],
    [
      'directives',
      `{ agent { requestedSessions { id ${'@skip(if: false) '.repeat(60)} } } }`,
      /Directives limit of 50 exceeded/,
    ],
    ['aliases', `{ agent { ${aliases(16)} } }`, /Aliases limit of 15 exceeded, found 16/],
  ])('%s over the limit is refused with a code, before any upstream call', async (_case, query, message) => {
    const response = await harness.gateway.query(query, { headers });

    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.map((error) => error.message).join('\n')).toMatch(message);
    expect(response.body.errors?.every((error) => typeof error.extensions?.code === 'string')).toBe(true);
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('cost over the limit is refused (MAX_COST)', async () => {
    const response = await costly.gateway.query(
      '{ agent { requestedSessions { id socket { connection { host port } } agent { requestedSessions { id } } } } }',
      { headers },
    );

    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.message).toBe('Query Cost limit of 20 exceeded, found 44.9375.');
    expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(costly.upstream.requests).toHaveLength(0);
  });

  it('a body over 1 MB is refused with 413', async () => {
    const response = await fetch(harness.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: `{ agent { requestedSessions { id } } } # ${'x'.repeat(1_100_000)}` }),
    });

    expect(response.status).toBe(413);
    expect(
      ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
    ).toBe('REQUEST_ENTITY_TOO_LARGE');
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('a chunked body without Content-Length is refused with 411 before it is read', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        harness.gateway.url,
        { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.write('{"query":"{ agent { requestedSessions { id } } }"');
      request.end('}');
    });

    expect(status).toBe(411);
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('batching is off by default', async () => {
    const response = await fetch(harness.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });

    expect(response.status).toBe(400);
    expect(harness.upstream.requests).toHaveLength(0);
  });
});

describe('batching when enabled', () => {
  const harness = useGateway({ BATCHING_LIMIT: '2' });
  const batch = (size: number) =>
    fetch(harness.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(
        Array.from({ length: size }, () => ({ query: '{ agent { requestedSessions { id } } }' })),
      ),
    });

  it('accepts batches up to the limit', async () => {
    const response = await batch(2);

    expect(response.status).toBe(200);
    expect(((await response.json()) as unknown[]).length).toBe(2);
  });

  it('refuses a larger batch before executing any of it', async () => {
    const response = await batch(3);

    expect(response.status).toBe(413);
    expect(harness.upstream.requests).toHaveLength(0);
  });
});

describe('NODE_ENV=production', () => {
  const harness = useGateway({ NODE_ENV: 'production' });

  it('turns introspection off', async () => {
    const response = await harness.gateway.query('{ __schema { types { name } } }', { headers });

    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.message).toMatch(/introspection/i);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('keeps _service { sdl } so routers can still compose the subgraph', async () => {
    const response = await harness.gateway.query('{ _service { sdl } }');

    expect((response.body.data?._service as { sdl: string }).sdl).toContain('@key');
  });

  it('gives no field suggestions', async () => {
    const response = await harness.gateway.query('{ agent { requestedSession { id } } }', { headers });

    expect(response.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
    expect(response.text).not.toContain('requestedSessions');
  });

  it('refuses a document sent again exactly as the first time (validation is cached per document)', async () => {
    const documents = [
      '{ agent { requestedSession { id } } }',
      '{ __schema { types { name } } }',
      `{ agent { ${aliases(16)} } }`,
    ];
    for (const document of documents) {
      const first = await harness.gateway.query(document, { headers });
      const again = await harness.gateway.query(document, { headers });

      expect(first.body.data).toBeUndefined();
      expect(first.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(again.status).toBe(first.status);
      expect(again.body).toEqual(first.body);
      expect(again.text).not.toMatch(/Did you mean/);
    }
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('serves no GraphiQL', async () => {
    const response = await fetch(harness.gateway.url, { headers: { accept: 'text/html' } });
    const text = await response.text();

    expect(text).not.toContain('renderYogaGraphiQL');
  });
});

describe('development defaults', () => {
  const harness = useGateway();

  it('suggests fields, to help while exploring', async () => {
    const response = await harness.gateway.query('{ agent { requestedSession { id } } }', { headers });

    expect(response.body.errors?.[0]?.message).toMatch(/Did you mean "requestedSessions"/);
  });
});

describe('browser safety', () => {
  const harness = useGateway({ CORS_ORIGINS: 'https://app.example.com' });

  it('never executes a CORS-simple text/plain POST, which a cross-site form could send', async () => {
    const response = await fetch(harness.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...headers },
      body: JSON.stringify({ query: '{ agent { requestedSessions { id } } }' }),
    });

    expect(response.status).toBe(415);
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('keeps GET queries working for standard clients', async () => {
    const url = new URL(harness.gateway.url);
    url.searchParams.set('query', '{ agent { requestedSessions(limit: 1) { id } } }');
    const response = await fetch(url, { headers: { accept: 'application/json', ...headers } });

    expect(response.status).toBe(200);
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    expect(harness.upstream.requests).toHaveLength(1);
  });

  it('answers a preflight from an allowlisted origin, with the key header allowed', async () => {
    const response = await fetch(harness.gateway.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-api-key',
      },
    });

    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-api-key');
    expect(response.headers.get('access-control-allow-credentials')).not.toBe('true');
  });

  it('grants nothing to another origin', async () => {
    const response = await fetch(harness.gateway.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  describe('without CORS_ORIGINS', () => {
    const sameOrigin = useGateway();

    it('grants no cross-origin access at all', async () => {
      const response = await fetch(sameOrigin.gateway.url, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
      });

      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
