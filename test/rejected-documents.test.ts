import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signalBody, wireSession, wireSignal } from '../src/agentmc-wire.js';
import { json, routes } from './support/fake-upstream.js';
import { useGateway, type Harness } from './support/harness.js';

/*
 * Every document the GraphQL spec rejects gets the same code on every path the gateway has:
 * compiled queries, mutations (graphql-js), subscriptions over SSE and over graphql-ws; and, with
 * TRUSTED_DOCUMENTS, only the manifest's documents run, over HTTP and WebSocket alike.
 */

const manifestPath = new URL('../examples/generated/persisted-documents.json', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>;
const hashOf = (operationName: string) =>
  Object.entries(manifest).find(([, text]) => text.includes(`query ${operationName}`))?.[0] ?? '';

interface Outcome {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** One operation over a fresh graphql-ws connection: its first result, or the errors it was refused with. */
async function overWebSocket(harness: Harness, payload: Record<string, unknown>): Promise<Outcome> {
  const client = createClient({
    url: harness.gateway.url.href.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { 'X-Api-Key': 'mca_ws_documents' },
    retryAttempts: 0,
  });
  try {
    // Settled by `complete` (after the one result) or an error: never disposed mid-operation.
    return await new Promise<Outcome>((resolve, reject) => {
      let outcome: Outcome | undefined;
      client.subscribe(payload as { query: string }, {
        next: (result) => {
          outcome = result as Outcome;
        },
        error: (error) =>
          Array.isArray(error) ? resolve({ errors: error as Outcome['errors'] }) : reject(error),
        complete: () =>
          outcome === undefined ? reject(new Error('completed without a result')) : resolve(outcome),
      });
    });
  } finally {
    await client.dispose();
  }
}

/** One operation as a POST (queries, mutations) or as Server-Sent Events (subscriptions). */
async function overHttp(harness: Harness, payload: Record<string, unknown>, sse: boolean): Promise<Outcome> {
  const response = await fetch(harness.gateway.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: sse ? 'text/event-stream' : 'application/json',
      'x-api-key': 'mca_ws_documents',
    },
    body: JSON.stringify(payload),
  });
  const text = await response.text();
  if (!sse || !text.includes('data:')) return JSON.parse(text) as Outcome;
  const data = text.split('\n').find((line) => line.startsWith('data:'));
  return JSON.parse(data?.slice(5) ?? '{}') as Outcome;
}

const INVALID: [string, Record<string, unknown>, string][] = [
  ['a query that does not parse', { query: '{ agent { requestedSessions { id }' }, 'GRAPHQL_PARSE_FAILED'],
  ['a query with an unknown field', { query: '{ agent { noSuchField } }' }, 'GRAPHQL_VALIDATION_FAILED'],
  [
    'a query whose variable cannot be coerced',
    {
      query: 'query ($limit: Int) { agent { requestedSessions(limit: $limit) { id } } }',
      variables: { limit: 'x' },
    },
    'BAD_USER_INPUT',
  ],
  [
    'a mutation with an unknown argument',
    { query: 'mutation { sendRealtimeSignal(sessionId: "1", type: "m", nope: 1) { id } }' },
    'GRAPHQL_VALIDATION_FAILED',
  ],
  [
    'a mutation whose variable is missing',
    { query: 'mutation ($type: String!) { sendRealtimeSignal(sessionId: "1", type: $type) { id } }' },
    'BAD_USER_INPUT',
  ],
  [
    'a subscription that does not parse',
    { query: 'subscription { realtimeSignalAdded(' },
    'GRAPHQL_PARSE_FAILED',
  ],
  [
    'a subscription without its required argument',
    { query: 'subscription { realtimeSignalAdded { id } }' },
    'GRAPHQL_VALIDATION_FAILED',
  ],
  [
    'a subscription whose variable cannot be coerced',
    {
      query: 'subscription ($limit: Int) { requestedSessionsChanged(limit: $limit) { removedIds } }',
      variables: { limit: 2 ** 40 },
    },
    'BAD_USER_INPUT',
  ],
];

describe('a rejected document keeps its code on every path', () => {
  const harness = useGateway();

  it.each(INVALID)('%s, over HTTP (SSE for subscriptions)', async (_case, payload, code) => {
    const isSubscription = String(payload.query).startsWith('subscription');
    const outcome = await overHttp(harness, payload, isSubscription);

    expect(outcome.errors?.map((error) => error.extensions?.code)).toEqual([code]);
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it.each(INVALID)('%s, over graphql-ws', async (_case, payload, code) => {
    const outcome = await overWebSocket(harness, payload);

    expect(outcome.errors?.map((error) => error.extensions?.code)).toEqual([code]);
    expect(harness.upstream.requests).toHaveLength(0);
  });
});

describe('graphql-ws: a rejected document keeps its code', () => {
  const harness = useGateway();

  it('a document that does not parse is GRAPHQL_PARSE_FAILED, as an error message (not a closed connection)', async () => {
    const outcome = await overWebSocket(harness, { query: '{ agent { requestedSessions { id }' });

    expect(outcome.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('a document that does not validate is GRAPHQL_VALIDATION_FAILED', async () => {
    const outcome = await overWebSocket(harness, { query: '{ agent { noSuchField } }' });

    expect(outcome.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('a valid mutation runs (Yoga refuses mutations from a GET; a graphql-ws operation is no GET)', async () => {
    harness.upstream.respondWith(
      routes({
        '/api/v1/agents/realtime/sessions/5/signals': json(
          200,
          signalBody(wireSignal({ id: 8, session_id: 5 }), wireSession({ id: 5 })),
        ),
      }),
    );

    const outcome = await overWebSocket(harness, {
      query: 'mutation { sendRealtimeSignal(sessionId: "5", type: "message") { id } }',
    });

    expect(outcome).toEqual({ data: { sendRealtimeSignal: { id: '8' } } });
    expect(harness.upstream.requests.map((request) => request.method)).toEqual(['POST']);
  });

  it('a valid query runs', async () => {
    const outcome = await overWebSocket(harness, {
      query: '{ agent { requestedSessions(limit: 1) { id } } }',
    });

    expect(outcome).toEqual({ data: { agent: { requestedSessions: [{ id: '501' }, { id: '502' }] } } });
  });
});

describe('graphql-ws with TRUSTED_DOCUMENTS: only the manifest runs', () => {
  const harness = useGateway({ TRUSTED_DOCUMENTS: manifestPath });

  it('refuses a document sent as text before it reaches the upstream', async () => {
    const outcome = await overWebSocket(harness, {
      query: 'mutation { sendRealtimeSignal(sessionId: "1", type: "message") { id } }',
    });

    expect(outcome.errors?.map((error) => error.extensions?.code)).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('refuses an unknown hash', async () => {
    const outcome = await overWebSocket(harness, {
      query: '',
      extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
    });

    expect(outcome.errors?.map((error) => error.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it.each([false, true])(
    'a manifest document whose variable cannot be coerced is BAD_USER_INPUT (graphql-ws: %s)',
    async (webSocket) => {
      const payload = {
        operationName: 'RequestedSessions',
        variables: { limit: 'many' },
        extensions: { persistedQuery: { version: 1, sha256Hash: hashOf('RequestedSessions') } },
      };
      // graphql-ws clients always send a query string; the manifest's text replaces it.
      const outcome = webSocket
        ? await overWebSocket(harness, { ...payload, query: '' })
        : await overHttp(harness, payload, false);

      expect(outcome.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(harness.upstream.requests).toHaveLength(0);
    },
  );

  it('runs a manifest document named by its hash (the text sent beside it is ignored)', async () => {
    const outcome = await overWebSocket(harness, {
      query: '{ agent { requestedSessions(limit: 100) { id status } } }',
      operationName: 'RequestedSessions',
      variables: { limit: 2 },
      extensions: { persistedQuery: { version: 1, sha256Hash: hashOf('RequestedSessions') } },
    });

    expect(outcome.errors).toBeUndefined();
    expect(harness.upstream.requests.map((request) => request.query.get('limit'))).toEqual(['2']);
  });
});
