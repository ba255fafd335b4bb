import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './support/fake-upstream.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from './support/gateway.js';

const QUERY = '{ agent { requestedSessions(limit: 2) { id } } }';
const FALLBACK_KEY = 'mca_server_fallback_key';

let upstream: FakeUpstream;
let gateway: TestGateway;
let withFallback: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway(upstream.baseUrl);
  withFallback = await startTestGateway(upstream.baseUrl, { AGENTMC_API_KEY: FALLBACK_KEY });
});
afterAll(async () => {
  await gateway.close();
  await withFallback.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
});

function expectUnauthenticated(response: GraphQLResponse, messagePart: RegExp): void {
  expect(response.status).toBe(200);
  expect(response.body.data).toEqual({ agent: null });
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(response.body.errors?.[0]?.path).toEqual(['agent']);
  expect(response.body.errors?.[0]?.message).toMatch(messagePart);
  expect(upstream.requests).toHaveLength(0);
}

/** Sends header lines fetch refuses to: repeated headers, tabs, Latin-1 characters. */
function rawPost(url: URL, headers: Record<string, string | string[]>): Promise<GraphQLResponse> {
  const payload = JSON.stringify({ query: QUERY });
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST' }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, headers: new Headers(), text, body: JSON.parse(text) });
        } catch (error) {
          reject(error);
        }
      });
    });
    request.setHeader('content-type', 'application/json');
    request.setHeader('content-length', Buffer.byteLength(payload));
    for (const [name, value] of Object.entries(headers)) request.setHeader(name, value);
    request.on('error', reject);
    request.end(payload);
  });
}

describe('the caller key', () => {
  it('is read from X-Api-Key and sent upstream as X-Api-Key', async () => {
    const response = await gateway.query(QUERY, { headers: { 'X-Api-Key': 'mca_from_header' } });

    expect(response.body.errors).toBeUndefined();
    expect(upstream.requests.map((r) => r.headers['x-api-key'])).toEqual(['mca_from_header']);
    expect(upstream.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('is read from Authorization: Bearer and sent upstream as X-Api-Key', async () => {
    const response = await gateway.query(QUERY, { headers: { Authorization: 'Bearer mca_from_bearer' } });

    expect(response.body.errors).toBeUndefined();
    expect(upstream.requests.map((r) => r.headers['x-api-key'])).toEqual(['mca_from_bearer']);
    expect(upstream.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('prefers X-Api-Key when both headers are sent', async () => {
    await gateway.query(QUERY, {
      headers: { 'X-Api-Key': 'mca_header_wins', Authorization: 'Bearer mca_bearer_loses' },
    });

    expect(upstream.requests.map((r) => r.headers['x-api-key'])).toEqual(['mca_header_wins']);
  });

  it('without any key is UNAUTHENTICATED and never reaches the upstream', async () => {
    expectUnauthenticated(await gateway.query(QUERY), /No API key.*X-Api-Key/);
  });

  it('ignores an Authorization scheme other than Bearer', async () => {
    expectUnauthenticated(
      await gateway.query(QUERY, { headers: { Authorization: 'Basic dXNlcjpwYXNz' } }),
      /No API key/,
    );
  });

  it.each([
    ['a space inside', 'mca_two words'],
    ['a tab inside', 'mca_tab\there'],
    ['longer than 256 characters', `mca_${'x'.repeat(253)}`],
    ['non-ASCII', 'mca_clé'],
  ])('refuses an X-Api-Key with %s before it reaches a header', async (_case, key) => {
    const response = await rawPost(gateway.url, { 'x-api-key': key });
    expectUnauthenticated(response, /malformed/);
    expect(response.text).not.toContain(key);
  });

  it('accepts a key of exactly 256 visible characters', async () => {
    const key = `mca_${'y'.repeat(252)}`;
    const response = await gateway.query(QUERY, { headers: { 'x-api-key': key } });

    expect(response.body.errors).toBeUndefined();
    expect(upstream.requests[0]?.headers['x-api-key']).toBe(key);
  });

  it('refuses two X-Api-Key headers (joined by Node into "a, b")', async () => {
    const response = await rawPost(gateway.url, { 'x-api-key': ['mca_first', 'mca_second'] });
    expectUnauthenticated(response, /malformed/);
  });

  it('refuses an empty X-Api-Key instead of falling back', async () => {
    expectUnauthenticated(await rawPost(withFallback.url, { 'x-api-key': '' }), /malformed/);
  });

  it('refuses a malformed Bearer token', async () => {
    expectUnauthenticated(
      await rawPost(gateway.url, { authorization: 'Bearer two tokens' }),
      /Authorization is malformed/,
    );
  });
});

describe('AGENTMC_API_KEY, the fallback key', () => {
  it('is used when the caller sends no key', async () => {
    const response = await withFallback.query(QUERY);

    expect(response.body.errors).toBeUndefined();
    expect(upstream.requests.map((r) => r.headers['x-api-key'])).toEqual([FALLBACK_KEY]);
  });

  it('is never used when the caller sends a key', async () => {
    await withFallback.query(QUERY, { headers: { 'x-api-key': 'mca_caller_key' } });
    await withFallback.query(QUERY, { headers: { authorization: 'Bearer mca_caller_bearer' } });

    expect(upstream.requests.map((r) => r.headers['x-api-key'])).toEqual([
      'mca_caller_key',
      'mca_caller_bearer',
    ]);
  });

  it('does not rescue a malformed caller key', async () => {
    const response = await rawPost(withFallback.url, { 'x-api-key': 'mca bad' });
    expectUnauthenticated(response, /malformed/);
  });
});
