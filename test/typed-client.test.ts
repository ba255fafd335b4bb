// Over 250 lines: the generated documents, the manifest and the example clients, each run against the real gateway.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { ResultOf, TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import { parse, print, validate } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import WebSocket from 'ws';
import { TYPED_CLIENT_DIR } from '../codegen.js';
import {
  AgentIdDocument,
  ClaimSessionDocument,
  CloseSessionDocument,
  LiveSignalsDocument,
  RequestedSessionsDocument,
  SendSignalDocument,
  type RealtimeSessionStatus,
  type RealtimeSignalSender,
} from '../examples/generated/graphql.js';
import {
  signalBody,
  signalsBody,
  sessionBody,
  wireSession,
  wireSignal,
  type WireSession,
  type WireSignal,
} from '../src/agentmc-wire.js';
import { schema } from '../src/schema/index.js';
import { json, type FakeUpstream } from './support/fake-upstream.js';
import { useGateway } from './support/harness.js';
import { bodyOf, byRoute, postsTo, readingBodies, wirePath } from './support/lifecycle.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const generatedDir = join(root, TYPED_CLIENT_DIR);
const manifest = JSON.parse(readFileSync(join(generatedDir, 'persisted-documents.json'), 'utf8')) as Record<
  string,
  string
>;
const hashOf = (document: object) => (document as { __meta__?: { hash?: string } }).__meta__?.hash;

const apiKey = 'mca_typed_client_example';
/** The signals poller asks every 50 ms, so a subscription sees a new signal at once. */
const LIVE = { LIVE_SIGNALS_POLL_INTERVAL_MS: '50' };
const harness = useGateway(LIVE);

/** Runs the example client as `npm run example` does, against `url`. */
function runExample(url: URL, ...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'examples/requested-sessions.ts', ...args], {
    cwd: root,
    env: { ...process.env, GATEWAY_URL: url.href, AGENTMC_API_KEY: apiKey },
  });
}

describe(`${TYPED_CLIENT_DIR} (client preset)`, () => {
  it('is exactly what `npm run codegen` generates now (run it and commit the files)', async () => {
    // The real CLI, the real config, only the output directory moved to a temporary one.
    const out = mkdtempSync(join(tmpdir(), 'typed-client-'));
    try {
      const wrapper = join(out, 'codegen.ts');
      writeFileSync(
        wrapper,
        [
          `import config, { TYPED_CLIENT_DIR } from ${JSON.stringify(pathToFileURL(join(root, 'codegen.ts')).href)};`,
          `export default { schema: config.schema, generates: { ${JSON.stringify(`${out}/generated/`)}: (config.generates as Record<string, unknown>)[TYPED_CLIENT_DIR] } };`,
        ].join('\n'),
      );
      const cli = join(root, 'node_modules/@graphql-codegen/cli/esm/bin.js');
      await run(process.execPath, ['--import', 'tsx', cli, '--config', wrapper, '--silent'], { cwd: root });

      const generated = readdirSync(join(out, 'generated')).sort();
      expect(generated).toContain('persisted-documents.json');
      expect(readdirSync(generatedDir).sort()).toEqual(generated);
      for (const file of generated) {
        expect(readFileSync(join(generatedDir, file), 'utf8'), file).toBe(
          readFileSync(join(out, 'generated', file), 'utf8'),
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('persists every operation under the plain hex SHA-256 of its text, valid against the schema', () => {
    expect(Object.keys(manifest).sort()).toEqual(
      [
        hashOf(AgentIdDocument),
        hashOf(ClaimSessionDocument),
        hashOf(CloseSessionDocument),
        hashOf(LiveSignalsDocument),
        hashOf(RequestedSessionsDocument),
        hashOf(SendSignalDocument),
      ].sort(),
    );
    for (const [hash, document] of Object.entries(manifest)) {
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(createHash('sha256').update(document).digest('hex')).toBe(hash);
      expect(validate(schema, parse(document))).toEqual([]);
    }
  });
});

describe('the generated types', () => {
  /** A small typed client function: its types come from the document alone. */
  async function firstSession(client: GraphQLClient) {
    const data = await client.request(RequestedSessionsDocument, { limit: 1 });
    return data.agent?.requestedSessions[0];
  }

  type Session = NonNullable<
    ResultOf<typeof RequestedSessionsDocument>['agent']
  >['requestedSessions'][number];

  it('line up with the schema (`npx tsc -p .` fails when they drift) and with what the gateway answers', async () => {
    expectTypeOf<Session['id']>().toEqualTypeOf<string>();
    expectTypeOf<Session['status']>().toEqualTypeOf<RealtimeSessionStatus>();
    expectTypeOf<RealtimeSessionStatus>().toEqualTypeOf<
      'REQUESTED' | 'CLAIMED' | 'ACTIVE' | 'CLOSED' | 'FAILED' | 'EXPIRED' | 'UNKNOWN'
    >();
    expectTypeOf<Session['requestedByUserId']>().toEqualTypeOf<string | null>();
    expectTypeOf<Session['expiresAt']>().toEqualTypeOf<string | null>();
    expectTypeOf<Session['meta']>().toEqualTypeOf<Record<string, unknown> | null>();
    expectTypeOf<NonNullable<Session['socket']>['connection']['port']>().toEqualTypeOf<number>();
    expectTypeOf<VariablesOf<typeof RequestedSessionsDocument>>().toEqualTypeOf<{
      limit?: number | null | undefined;
    }>();
    expectTypeOf(firstSession).returns.resolves.toEqualTypeOf<Session | undefined>();
    expectTypeOf<ResultOf<typeof AgentIdDocument>>().toEqualTypeOf<{ agent: { id: string } | null }>();

    const client = new GraphQLClient(harness.gateway.url.href, { headers: { 'X-Api-Key': apiKey } });
    // @ts-expect-error `limit` is an Int
    await expect(client.request(RequestedSessionsDocument, { limit: '1' })).rejects.toThrow(/Int/);

    const session = await firstSession(client);
    expect(session?.id).toBe('501');
    expect(session?.status).toBe('REQUESTED');
    expect(session?.meta).toEqual({ page: '/dashboard', nested: { tabs: [1, 2] }, flag: true });
    expect(session?.socket?.connection.port).toBe(6001);
  });
});

describe('examples/requested-sessions.ts against the gateway', () => {
  it('prints the sessions of the agent, sending AGENTMC_API_KEY as X-Api-Key', async () => {
    const { stdout } = await runExample(harness.gateway.url);

    expect(stdout).toContain('2 requested session(s):');
    expect(stdout).toMatch(
      /#501 REQUESTED requested by user 9001, .*wss:\/\/ws\.example\.test:6001 private-realtime-session\.501/,
    );
    expect(stdout).toMatch(/#502 EXPIRED requested by the system, expires never, no socket/);
    expect(harness.upstream.requests.map((request) => request.query.get('limit'))).toEqual(['5']);
    expect(harness.upstream.requests.map((request) => request.headers['x-api-key'])).toEqual([apiKey]);
  }, 30_000);

  describe('with --persisted', () => {
    /**
     * Stands in for a gateway with persisted documents: records each body, then runs the manifest's
     * document for the hash on the real gateway (404 for an unknown hash).
     */
    const bodies: Record<string, unknown>[] = [];
    let proxy: ReturnType<typeof createServer>;
    let proxyUrl: URL;
    beforeAll(async () => {
      proxy = createServer(async (request, response) => {
        let text = '';
        for await (const chunk of request) text += chunk;
        const body = JSON.parse(text) as {
          variables?: Record<string, unknown>;
          extensions?: { persistedQuery?: { sha256Hash?: string } };
        };
        bodies.push(body);
        const document = manifest[body.extensions?.persistedQuery?.sha256Hash ?? ''];
        if (document === undefined) return void response.writeHead(404).end();
        const answer = await harness.gateway.query(document, {
          variables: body.variables,
          headers: { 'X-Api-Key': String(request.headers['x-api-key']) },
        });
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.text);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyUrl = new URL(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`);
    });
    afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

    it('sends the hash from persisted-documents.json instead of the query text', async () => {
      const { stdout } = await runExample(proxyUrl, '--persisted');

      expect(bodies).toEqual([
        {
          operationName: 'RequestedSessions',
          variables: { limit: 5 },
          extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(RequestedSessionsDocument) } },
        },
      ]);
      expect(stdout).toContain('2 requested session(s) (persisted document):');
      expect(stdout).toContain('#501 REQUESTED');
      expect(harness.upstream.requests.map((request) => request.headers['x-api-key'])).toEqual([apiKey]);
    }, 30_000);
  });
});

/*
 * The session lifecycle's typed documents (claim, send, the live signals) against the real gateway
 * over HTTP, in front of a scripted AgentMC (agents generation) that keeps one session's state:
 * a claim moves it to `claimed`, each signal POST appends a signal, `close()` ends it.
 */

const SESSION_ID = 601;
const OWNER_TOKEN = 'typed-client-runtime-1';

interface ScriptedSession {
  readonly signals: WireSignal[];
  session(): WireSession;
  /** Ends the session: the next page says `closed`, and the subscription completes. */
  close(): void;
}

/**
 * A stateful session 601 of agent 77, with a browser's and the system's signal already in it;
 * with `browserAnswers`, a browser signal follows each agent signal (as the demo's browser does).
 */
function scriptSession(upstream: FakeUpstream, { browserAnswers = false } = {}): ScriptedSession {
  let status = 'active';
  let claimedAt: string | null = null;
  const session = () =>
    wireSession({
      id: SESSION_ID,
      team_id: 5,
      agent_id: 77,
      status,
      claimed_at: claimedAt,
      meta: { page: '/chat' },
      created_at: '2026-03-01T10:00:00Z',
      updated_at: '2026-03-01T10:00:00Z',
    });
  const signal = (id: number, sender: string, type: string, payload: WireSignal['payload']) =>
    wireSignal({
      id,
      team_id: 5,
      agent_id: 77,
      session_id: SESSION_ID,
      sender,
      type,
      payload,
      created_at: `2026-03-01T10:00:0${id}Z`,
      updated_at: `2026-03-01T10:00:0${id}Z`,
    });
  const signals: WireSignal[] = [
    signal(1, 'browser', 'message', { text: 'hello?' }),
    signal(2, 'system', 'session.opened', null),
  ];
  upstream.respondWith(
    readingBodies(
      byRoute({
        [`POST ${wirePath('agents', 'claimAgentRealtimeSession', SESSION_ID)}`]: (response, request) => {
          status = 'claimed';
          claimedAt = '2026-03-01T10:00:05Z';
          json(200, sessionBody(session()))(response, request);
        },
        [`POST ${wirePath('agents', 'createAgentRealtimeSignal', SESSION_ID)}`]: (response, request) => {
          const body = bodyOf(request) as { type: string; payload: WireSignal['payload'] };
          const created = signal(signals.length + 1, 'agent', body.type, body.payload);
          signals.push(created);
          if (status === 'claimed') status = 'active';
          json(200, signalBody(created, session()))(response, request);
          if (browserAnswers)
            signals.push(signal(signals.length + 1, 'browser', 'message', { text: 'thanks' }));
        },
        [`POST ${wirePath('agents', 'closeAgentRealtimeSession', SESSION_ID)}`]: (response, request) => {
          status = 'closed';
          json(200, sessionBody(session()))(response, request);
        },
        [`GET ${wirePath('agents', 'listAgentRealtimeSignals', SESSION_ID)}`]: (response, request) => {
          const afterId = Number(request.query.get('after_id') ?? 0);
          const limit = Number(request.query.get('limit') ?? 50);
          const page = signals.filter((row) => row.id > afterId).slice(0, limit);
          json(200, signalsBody(page, session()))(response, request);
        },
      }),
    ),
  );
  return {
    signals,
    session,
    close: () => {
      status = 'closed';
    },
  };
}

type LiveSignal = ResultOf<typeof LiveSignalsDocument>['realtimeSignalAdded'];
interface LiveEvent {
  data?: ResultOf<typeof LiveSignalsDocument> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * A typed document's subscription over GraphQL over SSE (POST, `Accept: text/event-stream`), sent
 * as its text or, with `persisted`, as its hash only. Resolves `ended` when the server completes.
 */
function subscribeSse<Variables>(
  url: URL,
  document: TypedDocumentNode<ResultOf<typeof LiveSignalsDocument>, Variables>,
  variables: Variables,
  { persisted = false } = {},
) {
  const events: LiveEvent[] = [];
  const waiters: (() => void)[] = [];
  const controller = new AbortController();
  const body = persisted
    ? { variables, extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(document) } } }
    : { query: print(document), variables };
  const ended = (async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-api-key': apiKey },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: ?complete/m.test(block)) return;
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (data) {
          events.push(JSON.parse(data) as LiveEvent);
          for (const wake of waiters.splice(0)) wake();
        }
      }
    }
  })();
  const next = async (count: number) => {
    while (events.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return events;
  };
  return { events, ended, next, close: () => controller.abort() };
}

describe('the lifecycle documents against the gateway', () => {
  it('ClaimSession and SendSignal: typed variables and results, one POST each', async () => {
    type Claimed = ResultOf<typeof ClaimSessionDocument>['claimRealtimeSession'];
    type Sent = ResultOf<typeof SendSignalDocument>['sendRealtimeSignal'];
    expectTypeOf<Claimed['status']>().toEqualTypeOf<RealtimeSessionStatus>();
    expectTypeOf<Claimed['claimedAt']>().toEqualTypeOf<string | null>();
    expectTypeOf<Sent['id']>().toEqualTypeOf<string>();
    expectTypeOf<Sent['sender']>().toEqualTypeOf<RealtimeSignalSender>();
    expectTypeOf<RealtimeSignalSender>().toEqualTypeOf<'AGENT' | 'BROWSER' | 'SYSTEM' | 'UNKNOWN'>();
    expectTypeOf<Sent['session']['status']>().toEqualTypeOf<RealtimeSessionStatus>();
    expectTypeOf<VariablesOf<typeof SendSignalDocument>>().toEqualTypeOf<{
      sessionId: string | number;
      type: string;
      payload?: unknown;
      agentId?: string | number | null | undefined;
    }>();
    expectTypeOf<VariablesOf<typeof ClaimSessionDocument>['ownerToken']>().toEqualTypeOf<
      string | null | undefined
    >();

    const scripted = scriptSession(harness.upstream);
    const client = new GraphQLClient(harness.gateway.url.href, { headers: { 'X-Api-Key': apiKey } });
    // @ts-expect-error `type` is required
    await expect(client.request(SendSignalDocument, { sessionId: '601' })).rejects.toThrow(/type/);

    const claimed = await client.request(ClaimSessionDocument, {
      sessionId: '601',
      ownerToken: OWNER_TOKEN,
    });
    expect(claimed.claimRealtimeSession).toEqual({
      id: '601',
      status: 'CLAIMED',
      claimedAt: '2026-03-01T10:00:05.000Z',
      meta: { page: '/chat' },
    });

    const sent = await client.request(SendSignalDocument, {
      sessionId: 601,
      type: 'message',
      payload: { text: 'Hi, how can I help?' },
    });
    expect(sent.sendRealtimeSignal).toEqual({
      id: '3',
      sessionId: '601',
      sender: 'AGENT',
      type: 'message',
      payload: { text: 'Hi, how can I help?' },
      createdAt: '2026-03-01T10:00:03.000Z',
      // The first agent signal opens the session, as AgentMC does.
      session: { id: '601', status: 'ACTIVE' },
    });

    // The agents generation: no owner token upstream; the signal's body as documented.
    const claims = postsTo(harness.upstream, wirePath('agents', 'claimAgentRealtimeSession', SESSION_ID));
    const posts = postsTo(harness.upstream, wirePath('agents', 'createAgentRealtimeSignal', SESSION_ID));
    expect(claims.map(bodyOf)).toEqual([{}]);
    expect(posts.map(bodyOf)).toEqual([{ type: 'message', payload: { text: 'Hi, how can I help?' } }]);
    expect(postsTo(harness.upstream)).toHaveLength(2);
    expect(scripted.signals).toHaveLength(3);
  });

  it('LiveSignals over SSE: every signal after afterId in id order, a sent one too, then the end on close', async () => {
    expectTypeOf<LiveSignal['id']>().toEqualTypeOf<string>();
    expectTypeOf<LiveSignal['sender']>().toEqualTypeOf<RealtimeSignalSender>();
    expectTypeOf<LiveSignal['upstreamSender']>().toEqualTypeOf<string>();
    expectTypeOf<LiveSignal['payload']>().toEqualTypeOf<unknown>();
    expectTypeOf<VariablesOf<typeof LiveSignalsDocument>>().toEqualTypeOf<{
      sessionId: string | number;
      afterId?: string | number | null | undefined;
      agentId?: string | number | null | undefined;
    }>();

    const scripted = scriptSession(harness.upstream);
    const stream = subscribeSse(harness.gateway.url, LiveSignalsDocument, { sessionId: '601', afterId: '0' });
    try {
      const first = await stream.next(2);
      expect(first.map((event) => event.errors)).toEqual([undefined, undefined]);
      expect(first.map((event) => event.data?.realtimeSignalAdded)).toEqual([
        {
          id: '1',
          sessionId: '601',
          sender: 'BROWSER',
          upstreamSender: 'browser',
          type: 'message',
          payload: { text: 'hello?' },
          createdAt: '2026-03-01T10:00:01.000Z',
        },
        {
          id: '2',
          sessionId: '601',
          sender: 'SYSTEM',
          upstreamSender: 'system',
          type: 'session.opened',
          payload: null,
          createdAt: '2026-03-01T10:00:02.000Z',
        },
      ]);

      const client = new GraphQLClient(harness.gateway.url.href, { headers: { 'X-Api-Key': apiKey } });
      await client.request(SendSignalDocument, {
        sessionId: '601',
        type: 'message',
        payload: { text: 'hi' },
      });
      const third = await stream.next(3);
      expect(third[2]?.data?.realtimeSignalAdded).toMatchObject({
        id: '3',
        sender: 'AGENT',
        payload: { text: 'hi' },
      });

      scripted.close();
      await stream.ended;
      expect(stream.events.map((event) => event.data?.realtimeSignalAdded.id)).toEqual(['1', '2', '3']);
    } finally {
      stream.close();
    }
  }, 15_000);

  it('LiveSignals over graphql-ws: from afterId on, a sent signal too, to the end on close', async () => {
    const scripted = scriptSession(harness.upstream);
    const http = new GraphQLClient(harness.gateway.url.href, { headers: { 'X-Api-Key': apiKey } });
    const client = createClient({
      url: harness.gateway.url.href.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { 'X-Api-Key': apiKey },
      retryAttempts: 0,
    });
    try {
      const received: LiveSignal[] = [];
      const variables: VariablesOf<typeof LiveSignalsDocument> = { sessionId: '601', afterId: '1' };
      // graphql-ws's iterator, typed by the document; it ends when the server completes the stream.
      for await (const result of client.iterate<ResultOf<typeof LiveSignalsDocument>>({
        query: print(LiveSignalsDocument),
        variables,
      })) {
        expect(result.errors).toBeUndefined();
        const signal = result.data?.realtimeSignalAdded;
        if (signal) received.push(signal);
        if (signal?.id === '2') {
          await http.request(SendSignalDocument, { sessionId: '601', type: 'message', payload: [{ n: 1 }] });
        }
        if (signal?.id === '3') scripted.close();
      }
      expect(received.map(({ id, sender, payload }) => ({ id, sender, payload }))).toEqual([
        { id: '2', sender: 'SYSTEM', payload: null },
        { id: '3', sender: 'AGENT', payload: [{ n: 1 }] },
      ]);
    } finally {
      await client.dispose();
    }
  }, 15_000);
});

describe('examples/session-lifecycle.ts against the gateway', () => {
  it('claims, follows the signals over graphql-ws, sends one, closes on the answer: one POST each', async () => {
    scriptSession(harness.upstream, { browserAnswers: true });
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/session-lifecycle.ts'], {
      cwd: root,
      env: {
        ...process.env,
        GATEWAY_URL: harness.gateway.url.href,
        AGENTMC_API_KEY: apiKey,
        SESSION_ID: '601',
      },
      timeout: 20_000,
    });

    expect(stdout.trim().split('\n')).toEqual([
      'claimed #601: CLAIMED',
      'sent #3; session ACTIVE',
      'signal #1 from BROWSER: message {"text":"hello?"}',
      'signal #2 from SYSTEM: session.opened null',
      'signal #3 from AGENT: message {"type":"chat.agent","payload":{"text":"Hello from the example runtime."}}',
      'signal #4 from BROWSER: message {"text":"thanks"}',
      'closed #601: CLOSED',
      'the subscription ended with the session',
    ]);
    const paths = postsTo(harness.upstream).map((request) => request.path);
    expect(paths).toEqual([
      wirePath('agents', 'claimAgentRealtimeSession', SESSION_ID),
      wirePath('agents', 'createAgentRealtimeSignal', SESSION_ID),
      wirePath('agents', 'closeAgentRealtimeSession', SESSION_ID),
    ]);
    expect(bodyOf(postsTo(harness.upstream)[2])).toEqual({ reason: 'example finished' });
  }, 30_000);
});

describe('the lifecycle documents with TRUSTED_DOCUMENTS=examples/generated/persisted-documents.json', () => {
  const trusted = useGateway({
    ...LIVE,
    TRUSTED_DOCUMENTS: join(generatedDir, 'persisted-documents.json'),
  });
  const post = async (body: unknown) => {
    const response = await fetch(trusted.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify(body),
    });
    return (await response.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
  };
  const byHash = (operationName: string, document: object, variables: Record<string, unknown>) =>
    post({
      operationName,
      variables,
      extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(document) } },
    });

  it('admits ClaimSession and SendSignal by hash, and refuses the same mutation as text', async () => {
    scriptSession(trusted.upstream);

    const claimed = await byHash('ClaimSession', ClaimSessionDocument, {
      sessionId: '601',
      ownerToken: OWNER_TOKEN,
    });
    expect(claimed.errors).toBeUndefined();
    expect(claimed.data).toMatchObject({ claimRealtimeSession: { id: '601', status: 'CLAIMED' } });

    const sent = await byHash('SendSignal', SendSignalDocument, {
      sessionId: '601',
      type: 'message',
      payload: null,
    });
    expect(sent.errors).toBeUndefined();
    expect(sent.data).toMatchObject({ sendRealtimeSignal: { id: '3', sender: 'AGENT', payload: null } });
    expect(postsTo(trusted.upstream)).toHaveLength(2);

    const asText = await post({
      query: print(SendSignalDocument),
      variables: { sessionId: '601', type: 'message' },
    });
    expect(asText.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    expect(postsTo(trusted.upstream)).toHaveLength(2);
  });

  it('admits LiveSignals by hash over SSE', async () => {
    const scripted = scriptSession(trusted.upstream);
    const stream = subscribeSse(
      trusted.gateway.url,
      LiveSignalsDocument,
      { sessionId: '601' },
      { persisted: true },
    );
    try {
      const events = await stream.next(2);
      expect(events.map((event) => event.errors)).toEqual([undefined, undefined]);
      expect(events.map((event) => event.data?.realtimeSignalAdded.id)).toEqual(['1', '2']);
      scripted.close();
      await stream.ended;
    } finally {
      stream.close();
    }
  }, 15_000);
});
