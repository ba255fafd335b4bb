// Over 250 lines: the five lifecycle mutations in both generations (requests, at most once, validation, claims, logs); they share one set of fixtures.
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  errorEnvelope,
  sessionBody,
  signalBody,
  signalsBody,
  wireSession,
  wireSignal,
  type WireSession,
} from '../src/agentmc-wire.js';
import { credentialFingerprint } from '../src/credentials.js';
import {
  delayed,
  hang,
  json,
  raw,
  refusingUpstreamUrl,
  reset,
  type Responder,
} from './support/fake-upstream.js';
import { startTestGateway, type GraphQLResponse } from './support/gateway.js';
import { useGateway, type Harness } from './support/harness.js';
import {
  apiRequests,
  bodyOf,
  byRoute,
  getsTo,
  HOST_SOCKET_AUTH_PATH,
  INSTRUCTIONS_WIRE_PATH,
  instructionsRoute,
  postsTo,
  script,
  until,
  wirePath,
  type Generation,
} from './support/lifecycle.js';

/*
 * claimRealtimeSession, sendRealtimeSignal, closeRealtimeSession, authorizeRealtimeSocket and
 * authorizeHostRealtimeSocket over real HTTP against a scripted AgentMC: exactly what each sends,
 * that each reaches AgentMC at most once whatever goes wrong, every validation rule at its
 * boundary (refused before any call), claim idempotency per owner token, and the mutation log.
 */

const AGENT_KEY = 'mca_lifecycle_secret_K9x2Zq';
const HOST_KEY = 'cc_lifecycle_host_secret_Q7w';
const OWNER_TOKEN = 'owner-token:abc_123456';
const SESSION_ID = '41';
const REQUEST_ID = 'req-lifecycle-1';

const SESSION_FIELDS = 'id teamId agentId status upstreamStatus claimedAt closedAt meta';
const SIGNAL_FIELDS =
  'id sessionId agentId teamId sender upstreamSender type payload createdAt updatedAt session { id status }';

const DOCUMENTS = {
  claim: `mutation Claim($sessionId: ID!, $ownerToken: String, $agentId: ID) {
    claimRealtimeSession(sessionId: $sessionId, ownerToken: $ownerToken, agentId: $agentId) { ${SESSION_FIELDS} }
  }`,
  send: `mutation Send($sessionId: ID!, $type: String!, $payload: JSON, $agentId: ID) {
    sendRealtimeSignal(sessionId: $sessionId, type: $type, payload: $payload, agentId: $agentId) { ${SIGNAL_FIELDS} }
  }`,
  close: `mutation Close($sessionId: ID!, $status: RealtimeCloseStatus, $reason: String, $payload: JSON, $agentId: ID) {
    closeRealtimeSession(sessionId: $sessionId, status: $status, reason: $reason, payload: $payload, agentId: $agentId) { ${SESSION_FIELDS} }
  }`,
  socket: `mutation Socket($sessionId: ID!, $socketId: String!, $channelName: String!, $agentId: ID) {
    authorizeRealtimeSocket(sessionId: $sessionId, socketId: $socketId, channelName: $channelName, agentId: $agentId)
  }`,
  hostSocket: `mutation HostSocket($socketId: String!, $channelName: String!) {
    authorizeHostRealtimeSocket(socketId: $socketId, channelName: $channelName)
  }`,
} as const;
type MutationName = keyof typeof DOCUMENTS;

const FIELD: Record<MutationName, string> = {
  claim: 'claimRealtimeSession',
  send: 'sendRealtimeSignal',
  close: 'closeRealtimeSession',
  socket: 'authorizeRealtimeSocket',
  hostSocket: 'authorizeHostRealtimeSocket',
};

/** Per generation: its key, the agent the fixtures belong to, and how a request names it. */
const GENERATIONS = {
  agents: { key: AGENT_KEY, agentId: 77 },
  hosts: { key: HOST_KEY, agentId: 7 },
} as const satisfies Record<Generation, { key: string; agentId: number }>;

function claimedSession(generation: Generation, overrides: Partial<WireSession> = {}): WireSession {
  return wireSession({
    id: Number(SESSION_ID),
    team_id: 12,
    agent_id: GENERATIONS[generation].agentId,
    status: 'claimed',
    claimed_at: '2026-03-01T10:00:00Z',
    meta: { claim_owner_token: OWNER_TOKEN },
    ...overrides,
  });
}

const SOCKET_AUTH = 'app-key:8f3a1c0e5b7d9f2a4c6e8b0d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a';

/** A scripted AgentMC with every lifecycle route of `generation` answering 200. */
function lifecycleApi(generation: Generation, extra: Record<string, Responder> = {}): Responder {
  const session = claimedSession(generation);
  const signal = wireSignal({
    id: 901,
    team_id: 12,
    agent_id: GENERATIONS[generation].agentId,
    session_id: Number(SESSION_ID),
    sender: 'agent',
    type: 'chat.message',
    payload: { text: 'hi' },
    created_at: '2026-03-01T10:00:01Z',
    updated_at: '2026-03-01T10:00:02Z',
  });
  return byRoute({
    ...instructionsRoute(77),
    [`POST ${wirePath(generation, 'claimAgentRealtimeSession', SESSION_ID)}`]: json(
      200,
      sessionBody(session),
    ),
    [`POST ${wirePath(generation, 'createAgentRealtimeSignal', SESSION_ID)}`]: json(
      200,
      signalBody(signal, { ...session, status: 'active' }),
    ),
    [`GET ${wirePath(generation, 'listAgentRealtimeSignals', SESSION_ID)}`]: json(
      200,
      signalsBody([], session),
    ),
    [`POST ${wirePath(generation, 'closeAgentRealtimeSession', SESSION_ID)}`]: json(
      200,
      sessionBody({ ...session, status: 'closed', closed_at: '2026-03-01T11:00:00Z' }),
    ),
    [`POST ${wirePath(generation, 'authenticateAgentRealtimeSocket', SESSION_ID)}`]: json(200, {
      auth: SOCKET_AUTH,
    }),
    ...(generation === 'hosts'
      ? { [`POST ${HOST_SOCKET_AUTH_PATH}`]: json(200, { auth: SOCKET_AUTH }) }
      : {}),
    ...extra,
  });
}

/** The variables that make each mutation valid in `generation` (hosts claims need an owner token). */
function validVariables(generation: Generation, name: MutationName): Record<string, unknown> {
  switch (name) {
    case 'claim':
      return generation === 'hosts'
        ? { sessionId: SESSION_ID, ownerToken: OWNER_TOKEN }
        : { sessionId: SESSION_ID };
    case 'send':
      return { sessionId: SESSION_ID, type: 'chat.message', payload: { text: 'hello' } };
    case 'close':
      return { sessionId: SESSION_ID, status: 'CLOSED' };
    case 'socket':
      return { sessionId: SESSION_ID, socketId: '123.456', channelName: 'private-realtime-session.41' };
    case 'hostSocket':
      return { socketId: '123.456', channelName: 'private-host.3' };
  }
}

/** The path each mutation POSTs to in `generation`. */
function postPath(generation: Generation, name: MutationName): string {
  switch (name) {
    case 'claim':
      return wirePath(generation, 'claimAgentRealtimeSession', SESSION_ID);
    case 'send':
      return wirePath(generation, 'createAgentRealtimeSignal', SESSION_ID);
    case 'close':
      return wirePath(generation, 'closeAgentRealtimeSession', SESSION_ID);
    case 'socket':
      return wirePath(generation, 'authenticateAgentRealtimeSocket', SESSION_ID);
    case 'hostSocket':
      return HOST_SOCKET_AUTH_PATH;
  }
}

function mutationsOf(generation: Generation): MutationName[] {
  return generation === 'hosts'
    ? ['claim', 'send', 'close', 'socket', 'hostSocket']
    : ['claim', 'send', 'close', 'socket'];
}

function mutate(
  harness: Harness,
  generation: Generation,
  name: MutationName,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  return harness.gateway.query(DOCUMENTS[name], {
    variables,
    headers: { 'x-api-key': GENERATIONS[generation].key, ...headers },
  });
}

/** The one error of a failed mutation: data null, the error at the field. */
function failure(response: GraphQLResponse, name: MutationName): Record<string, unknown> {
  expect(response.status).toBe(200);
  expect(response.body.data).toBeNull();
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors?.[0]?.path).toEqual([FIELD[name]]);
  return response.body.errors?.[0]?.extensions ?? {};
}

const expectedSession = (generation: Generation, status: string, extra: Record<string, unknown> = {}) => ({
  id: SESSION_ID,
  teamId: '12',
  agentId: String(GENERATIONS[generation].agentId),
  status: status.toUpperCase(),
  upstreamStatus: status,
  claimedAt: '2026-03-01T10:00:00.000Z',
  closedAt: null,
  meta: { claim_owner_token: OWNER_TOKEN },
  ...extra,
});

describe.each(['agents', 'hosts'] as const)('the %s generation: what each mutation sends', (generation) => {
  const harness = useGateway({ AGENTMC_API_GENERATION: generation });
  const { key, agentId } = GENERATIONS[generation];
  // The agents generation: the key's own agent (77) is fine; the hosts one: any agent, as X-Agent-Id.
  const ownAgent = String(agentId);

  /** Runs `name` with `variables` against the lifecycle API; returns the one POST it made. */
  async function sent(name: MutationName, variables: Record<string, unknown>) {
    script(harness.upstream, lifecycleApi(generation));
    const response = await mutate(harness, generation, name, variables, { 'x-request-id': REQUEST_ID });
    expect(response.body.errors).toBeUndefined();
    const posts = postsTo(harness.upstream);
    expect(posts).toHaveLength(1);
    const [post] = posts;
    expect(post?.method).toBe('POST');
    expect(post?.path).toBe(postPath(generation, name));
    expect([...(post?.query.keys() ?? [])]).toEqual([]);
    expect(post?.headers['content-type']).toBe('application/json');
    expect(post?.headers['x-api-key']).toBe(key);
    expect(post?.headers['x-request-id']).toBe(REQUEST_ID);
    return { response, post, data: response.body.data?.[FIELD[name]] };
  }

  it('claimRealtimeSession POSTs the claim with the generation’s body and maps the session', async () => {
    const { post, data } = await sent('claim', { sessionId: SESSION_ID, ownerToken: OWNER_TOKEN });

    expect(bodyOf(post)).toEqual(generation === 'hosts' ? { owner_token: OWNER_TOKEN } : {});
    expect(post?.headers['x-agent-id']).toBeUndefined();
    expect(data).toEqual(expectedSession(generation, 'claimed'));
  });

  if (generation === 'agents') {
    it('claimRealtimeSession without ownerToken sends {} on the agents generation', async () => {
      const { post } = await sent('claim', { sessionId: SESSION_ID });

      expect(bodyOf(post)).toEqual({});
    });
  }

  it('sendRealtimeSignal POSTs {type, payload} and maps the signal with the session of the answer', async () => {
    const { post, data } = await sent('send', {
      sessionId: SESSION_ID,
      type: 'chat.message',
      payload: { text: 'hello', nested: [{ a: 1 }] },
    });

    expect(bodyOf(post)).toEqual({ type: 'chat.message', payload: { text: 'hello', nested: [{ a: 1 }] } });
    expect(data).toEqual({
      id: '901',
      sessionId: SESSION_ID,
      agentId: String(agentId),
      teamId: '12',
      sender: 'AGENT',
      upstreamSender: 'agent',
      type: 'chat.message',
      payload: { text: 'hi' },
      createdAt: '2026-03-01T10:00:01.000Z',
      updatedAt: '2026-03-01T10:00:02.000Z',
      session: { id: SESSION_ID, status: 'ACTIVE' },
    });
  });

  it('sendRealtimeSignal without payload sends payload: null', async () => {
    const { post } = await sent('send', { sessionId: SESSION_ID, type: 'ping' });

    expect(bodyOf(post)).toEqual({ type: 'ping', payload: null });
  });

  it('sendRealtimeSignal sends an array of objects as it is', async () => {
    const { post } = await sent('send', {
      sessionId: SESSION_ID,
      type: 'batch',
      payload: [{ a: 1 }, { b: 'x' }],
    });

    expect(bodyOf(post)).toEqual({ type: 'batch', payload: [{ a: 1 }, { b: 'x' }] });
  });

  it.each([
    ['nothing', {}, {}],
    ['status only', { status: 'CLOSED' }, { status: 'closed' }],
    [
      'status FAILED and a reason',
      { status: 'FAILED', reason: 'agent crashed' },
      { status: 'failed', reason: 'agent crashed' },
    ],
    ['a reason only', { reason: 'done' }, { reason: 'done' }],
    [
      'every field',
      { status: 'CLOSED', reason: 'bye', payload: { summary: 'ok' } },
      { status: 'closed', reason: 'bye', payload: { summary: 'ok' } },
    ],
  ])('closeRealtimeSession with %s sends only the given fields', async (_name, given, body) => {
    const { post, data } = await sent('close', { sessionId: SESSION_ID, ...given });

    expect(bodyOf(post)).toEqual(body);
    expect(data).toEqual(expectedSession(generation, 'closed', { closedAt: '2026-03-01T11:00:00.000Z' }));
  });

  it('authorizeRealtimeSocket POSTs {socket_id, channel_name} and answers the auth string', async () => {
    const { post, data } = await sent('socket', {
      sessionId: SESSION_ID,
      socketId: '123.456',
      channelName: 'private-realtime-session.41',
    });

    expect(bodyOf(post)).toEqual({ socket_id: '123.456', channel_name: 'private-realtime-session.41' });
    expect(data).toBe(SOCKET_AUTH);
  });

  it.each(['claim', 'send', 'close', 'socket'] as const)(
    '%s with agentId: X-Agent-Id exactly on the hosts generation',
    async (name) => {
      const { post } = await sent(name, { ...validVariables(generation, name), agentId: ownAgent });

      if (generation === 'hosts') {
        expect(post?.headers['x-agent-id']).toBe('7');
        expect(getsTo(harness.upstream)).toHaveLength(0);
      } else {
        expect(post?.headers['x-agent-id']).toBeUndefined();
        // The key's own agent, checked once against GET /agents/instructions.
        expect(getsTo(harness.upstream).map((request) => request.path)).toEqual([INSTRUCTIONS_WIRE_PATH]);
      }
    },
  );

  it.each(['claim', 'send', 'close', 'socket'] as const)(
    '%s without agentId sends no X-Agent-Id',
    async (name) => {
      const { post } = await sent(name, validVariables(generation, name));

      expect(post?.headers['x-agent-id']).toBeUndefined();
      expect(apiRequests(harness.upstream)).toHaveLength(1);
    },
  );

  if (generation === 'hosts') {
    it('authorizeHostRealtimeSocket POSTs /hosts/realtime/socket-auth without X-Agent-Id', async () => {
      const { post, data } = await sent('hostSocket', { socketId: '123.456', channelName: 'private-host.3' });

      expect(bodyOf(post)).toEqual({ socket_id: '123.456', channel_name: 'private-host.3' });
      expect(post?.headers['x-agent-id']).toBeUndefined();
      expect(data).toBe(SOCKET_AUTH);
    });
  } else {
    it('authorizeHostRealtimeSocket is NOT_OFFERED_BY_UPSTREAM, with no call', async () => {
      script(harness.upstream, lifecycleApi(generation));
      const response = await mutate(
        harness,
        generation,
        'hostSocket',
        validVariables(generation, 'hostSocket'),
      );

      expect(failure(response, 'hostSocket').code).toBe('NOT_OFFERED_BY_UPSTREAM');
      expect(apiRequests(harness.upstream)).toHaveLength(0);
    });

    it.each(['claim', 'send', 'close', 'socket'] as const)(
      "%s with another agent's id is FORBIDDEN and POSTs nothing",
      async (name) => {
        script(harness.upstream, lifecycleApi(generation));
        const response = await mutate(harness, generation, name, {
          ...validVariables(generation, name),
          agentId: '78',
        });

        expect(failure(response, name).code).toBe('FORBIDDEN');
        expect(postsTo(harness.upstream)).toHaveLength(0);
        expect(getsTo(harness.upstream).map((request) => request.path)).toEqual([INSTRUCTIONS_WIRE_PATH]);
      },
    );
  }
});

describe.each(['agents', 'hosts'] as const)(
  'the %s generation: at most one POST per mutation',
  (generation) => {
    const harness = useGateway({
      AGENTMC_API_GENERATION: generation,
      UPSTREAM_TIMEOUT_MS: '3000',
      UPSTREAM_RETRY_BASE_MS: '5',
      UPSTREAM_RETRY_MAX_MS: '10',
      BREAKER_MIN_CALLS: '10000',
    });
    const quick = useGateway({
      AGENTMC_API_GENERATION: generation,
      UPSTREAM_TIMEOUT_MS: '300',
      BREAKER_MIN_CALLS: '10000',
    });
    const mutations = mutationsOf(generation);

    // Every fault on the POST only: a redirect's target would answer 200 if it were followed.
    async function fault(target: Harness, name: MutationName, responder: Responder) {
      const path = postPath(generation, name);
      script(target.upstream, lifecycleApi(generation, { [`POST ${path}`]: responder }));
      const response = await mutate(target, generation, name, validVariables(generation, name));
      expect(postsTo(target.upstream, path)).toHaveLength(1);
      expect(apiRequests(target.upstream)).toHaveLength(1);
      return failure(response, name);
    }

    it.each(mutations)(
      '%s: a reset after the request was sent is UPSTREAM_UNAVAILABLE, outcome UNKNOWN',
      async (name) => {
        expect(await fault(harness, name, reset)).toEqual({
          code: 'UPSTREAM_UNAVAILABLE',
          outcome: 'UNKNOWN',
        });
      },
    );

    it.each(mutations)(
      '%s: no answer before the deadline is UPSTREAM_TIMEOUT, outcome UNKNOWN',
      async (name) => {
        expect(await fault(quick, name, hang)).toEqual({ code: 'UPSTREAM_TIMEOUT', outcome: 'UNKNOWN' });
        // Nothing is sent again later either.
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(postsTo(quick.upstream)).toHaveLength(1);
      },
    );

    it.each(mutations)('%s: 503 with a Retry-After that fits the deadline is not retried', async (name) => {
      expect(
        await fault(
          harness,
          name,
          json(503, errorEnvelope('maintenance', 'Back soon.'), { 'retry-after': '1' }),
        ),
      ).toEqual({
        code: 'UPSTREAM_UNAVAILABLE',
        retryAfter: 1,
        upstream: { status: 503, code: 'maintenance', message: 'Back soon.' },
      });
    });

    it.each(mutations)(
      '%s: 502 is UPSTREAM_UNAVAILABLE, not retried, no outcome (AgentMC answered)',
      async (name) => {
        expect(await fault(harness, name, raw(502, ''))).toEqual({
          code: 'UPSTREAM_UNAVAILABLE',
          upstream: { status: 502 },
        });
      },
    );

    it.each(mutations)(
      '%s: 429 with a short Retry-After is RATE_LIMITED with retryAfter, not retried',
      async (name) => {
        expect(
          await fault(
            harness,
            name,
            json(429, errorEnvelope('rate_limited', 'Slow down.'), { 'retry-after': '1' }),
          ),
        ).toEqual({
          code: 'RATE_LIMITED',
          retryAfter: 1,
          upstream: { status: 429, code: 'rate_limited', message: 'Slow down.' },
        });
      },
    );

    it.each(mutations)('%s: a 302 is UPSTREAM_BAD_RESPONSE (redirect), never followed', async (name) => {
      const target = new URL(postPath(generation, name), harness.upstream.baseUrl).href;
      const extensions = await fault(harness, name, raw(302, '', { location: target }));

      expect(extensions).toEqual({
        code: 'UPSTREAM_BAD_RESPONSE',
        reason: 'redirect',
        upstream: { status: 302 },
      });
    });

    it.each(mutations)('%s: 409 is CONFLICT with the upstream details', async (name) => {
      // A claim's 409 without an owner token: hosts claims always carry one, so the read is allowed there.
      const responder = json(409, errorEnvelope('conflict', 'The session is closed.'));
      const path = postPath(generation, name);
      script(
        harness.upstream,
        lifecycleApi(generation, {
          [`POST ${path}`]: responder,
          [`GET ${wirePath(generation, 'listAgentRealtimeSignals', SESSION_ID)}`]: json(
            200,
            signalsBody([], claimedSession(generation, { status: 'closed', meta: null })),
          ),
        }),
      );
      const response = await mutate(harness, generation, name, validVariables(generation, name));

      expect(postsTo(harness.upstream, path)).toHaveLength(1);
      expect(failure(response, name)).toMatchObject({
        code: 'CONFLICT',
        upstream: { status: 409, code: 'conflict', message: 'The session is closed.' },
      });
    });

    it.each(mutations)('%s: 422 is BAD_USER_INPUT with the fields of details.fields', async (name) => {
      const details = { fields: { channel_name: ['The channel name is invalid.'] } };
      expect(
        await fault(
          harness,
          name,
          json(422, errorEnvelope('validation.failed', 'Validation failed.', details)),
        ),
      ).toEqual({
        code: 'BAD_USER_INPUT',
        fields: { channel_name: ['The channel name is invalid.'] },
        upstream: { status: 422, code: 'validation.failed', message: 'Validation failed.' },
      });
    });

    it('two identical mutations at once are two POSTs, never shared', async () => {
      const path = postPath(generation, 'send');
      const base = lifecycleApi(generation);
      script(harness.upstream, (response, request) =>
        request.method === 'POST' ? delayed(150, base)(response, request) : base(response, request),
      );
      const variables = validVariables(generation, 'send');

      const [first, second] = await Promise.all([
        mutate(harness, generation, 'send', variables),
        mutate(harness, generation, 'send', variables),
      ]);

      expect(first.body.errors).toBeUndefined();
      expect(second.body.errors).toBeUndefined();
      expect(postsTo(harness.upstream, path)).toHaveLength(2);
    });

    it('a refused connection (nothing sent) is UPSTREAM_UNAVAILABLE without an outcome', async () => {
      const refused = await startTestGateway(await refusingUpstreamUrl(), {
        AGENTMC_API_GENERATION: generation,
        UPSTREAM_RETRY_BASE_MS: '5',
        UPSTREAM_RETRY_MAX_MS: '10',
        BREAKER_MIN_CALLS: '10000',
      });
      try {
        for (const name of mutations) {
          const response = await refused.query(DOCUMENTS[name], {
            variables: validVariables(generation, name),
            headers: { 'x-api-key': GENERATIONS[generation].key },
          });
          expect(failure(response, name)).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
        }
      } finally {
        await refused.close();
      }
    });
  },
);

/** 28 two-byte characters: 56 UTF-8 bytes; `{"t":"…"}` adds 8. */
const SIXTY_FOUR_BYTES = { t: 'é'.repeat(28) };
const SIXTY_FIVE_BYTES = { t: `${'é'.repeat(28)}a` };

describe.each(['agents', 'hosts'] as const)('the %s generation: validation before any call', (generation) => {
  const harness = useGateway({ AGENTMC_API_GENERATION: generation, REALTIME_MAX_PAYLOAD_BYTES: '64' });
  const mutations = mutationsOf(generation);

  async function refused(name: MutationName, variables: Record<string, unknown>, argumentName: string) {
    harness.upstream.requests.length = 0;
    script(harness.upstream, lifecycleApi(generation));
    const response = await mutate(harness, generation, name, variables);

    expect(failure(response, name)).toMatchObject({ code: 'BAD_USER_INPUT', argumentName });
    expect(apiRequests(harness.upstream)).toHaveLength(0);
  }

  async function accepted(name: MutationName, variables: Record<string, unknown>) {
    harness.upstream.requests.length = 0;
    script(harness.upstream, lifecycleApi(generation));
    const response = await mutate(harness, generation, name, variables);

    expect(response.body.errors).toBeUndefined();
    expect(postsTo(harness.upstream)).toHaveLength(1);
    return bodyOf(postsTo(harness.upstream)[0]);
  }

  it('the fixtures are the sizes they claim', () => {
    expect(Buffer.byteLength(JSON.stringify(SIXTY_FOUR_BYTES))).toBe(64);
    expect(Buffer.byteLength(JSON.stringify(SIXTY_FIVE_BYTES))).toBe(65);
    expect(JSON.stringify(SIXTY_FOUR_BYTES).length).toBe(36);
  });

  const badIds = ['0', '-1', '1.5', 'abc', '1'.repeat(20), '07', ' 1', ''];
  it.each(
    mutations
      .filter((name) => name !== 'hostSocket')
      .flatMap((name) => badIds.map((id) => [name, id] as const)),
  )('%s refuses sessionId %j', async (name, sessionId) => {
    await refused(name, { ...validVariables(generation, name), sessionId }, 'sessionId');
  });

  it('a 19-digit sessionId is accepted', async () => {
    const sessionId = '1234567890123456789';
    script(harness.upstream, (response, request) =>
      lifecycleApi(generation)(response, { ...request, path: request.path.replace(sessionId, SESSION_ID) }),
    );
    await mutate(harness, generation, 'send', { ...validVariables(generation, 'send'), sessionId });

    expect(postsTo(harness.upstream).map((request) => request.path)).toEqual([
      wirePath(generation, 'createAgentRealtimeSignal', sessionId),
    ]);
  });

  it.each(
    mutations
      .filter((name) => name !== 'hostSocket')
      .flatMap((name) => ['0', '-3', 'x', '07'].map((id) => [name, id] as const)),
  )('%s refuses agentId %j', async (name, agentId) => {
    await refused(name, { ...validVariables(generation, name), agentId }, 'agentId');
  });

  it.each([
    ['', false],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['bad type', false],
    ['UPPER.ok:1-2_3', true],
    ['emoji😀', false],
    ['slash/type', false],
  ])('type %j accepted: %s', async (type, ok) => {
    const variables = { sessionId: SESSION_ID, type, payload: null };
    if (ok) expect(await accepted('send', variables)).toEqual({ type, payload: null });
    else await refused('send', variables, 'type');
  });

  it.each([
    ['an object', { a: 1 }, true],
    ['an empty array', [], true],
    ['an array of objects', [{}], true],
    ['null', null, true],
    ['exactly the limit in bytes (multibyte characters)', SIXTY_FOUR_BYTES, true],
    ['an array of numbers', [1], false],
    ['an array mixing objects and numbers', [{}, 1], false],
    ['an array of arrays', [[{}]], false],
    ['a string', 'str', false],
    ['a number', 42, false],
    ['a boolean', true, false],
    ['one byte over the limit', SIXTY_FIVE_BYTES, false],
  ])('sendRealtimeSignal payload: %s, accepted: %s', async (_name, payload, ok) => {
    const variables = { sessionId: SESSION_ID, type: 'message', payload };
    if (ok) expect(await accepted('send', variables)).toEqual({ type: 'message', payload });
    else await refused('send', variables, 'payload');
  });

  it.each([
    ['an object at the limit', SIXTY_FOUR_BYTES, true],
    ['one byte over the limit', SIXTY_FIVE_BYTES, false],
    ['an array of numbers', [1], false],
    ['a string', 'str', false],
  ])('closeRealtimeSession payload: %s, accepted: %s', async (_name, payload, ok) => {
    const variables = { sessionId: SESSION_ID, payload };
    if (ok) expect(await accepted('close', variables)).toEqual({ payload });
    else await refused('close', variables, 'payload');
  });

  it.each([
    ['a'.repeat(500), true],
    ['a'.repeat(501), false],
    ['é'.repeat(500), true],
  ])('closeRealtimeSession reason of %#: accepted %s', async (reason, ok) => {
    const variables = { sessionId: SESSION_ID, reason };
    if (ok) expect(await accepted('close', variables)).toEqual({ reason });
    else await refused('close', variables, 'reason');
  });

  const socketIdOf = (length: number) => `${'1'.repeat(length - 51)}.${'2'.repeat(50)}`;
  it.each([
    ['123.456', true],
    [socketIdOf(100), true],
    ['123', false],
    ['123.', false],
    ['.456', false],
    ['12a.456', false],
    ['1.2.3', false],
    [socketIdOf(101), false],
    ['', false],
  ])('socketId %j accepted: %s', async (socketId, ok) => {
    for (const name of generation === 'hosts' ? (['socket', 'hostSocket'] as const) : (['socket'] as const)) {
      const variables = { ...validVariables(generation, name), socketId };
      if (ok) expect(await accepted(name, variables)).toMatchObject({ socket_id: socketId });
      else await refused(name, variables, 'socketId');
    }
  });

  it.each([
    ['c'.repeat(190), true],
    ['c'.repeat(191), false],
    ['', false],
  ])('channelName of length %#: accepted %s', async (channelName, ok) => {
    for (const name of generation === 'hosts' ? (['socket', 'hostSocket'] as const) : (['socket'] as const)) {
      const variables = { ...validVariables(generation, name), channelName };
      if (ok) expect(await accepted(name, variables)).toMatchObject({ channel_name: channelName });
      else await refused(name, variables, 'channelName');
    }
  });

  if (generation === 'hosts') {
    it.each([
      ['a'.repeat(15), false],
      ['a'.repeat(16), true],
      ['A:b_C-d'.padEnd(128, 'x'), true],
      ['a'.repeat(129), false],
      ['owner token spaces', false],
      ['owner.token.with.dots', false],
      ['ownertoken/slash/x', false],
    ])('ownerToken %j accepted: %s', async (ownerToken, ok) => {
      const variables = { sessionId: SESSION_ID, ownerToken };
      if (ok) expect(await accepted('claim', variables)).toEqual({ owner_token: ownerToken });
      else await refused('claim', variables, 'ownerToken');
    });

    it('a claim without ownerToken is BAD_USER_INPUT on the hosts generation', async () => {
      await refused('claim', { sessionId: SESSION_ID }, 'ownerToken');
    });
  } else {
    it('an ownerToken is never sent on the agents generation', async () => {
      expect(await accepted('claim', { sessionId: SESSION_ID, ownerToken: OWNER_TOKEN })).toEqual({});
    });
  }
});

describe('claims are idempotent per owner token', () => {
  const hosts = useGateway({ AGENTMC_API_GENERATION: 'hosts' });
  const agents = useGateway({ AGENTMC_API_GENERATION: 'agents' });
  const conflict = json(409, errorEnvelope('conflict', 'Session already claimed.'));

  function claimConflict(target: Harness, generation: Generation, session: WireSession) {
    script(
      target.upstream,
      lifecycleApi(generation, {
        [`POST ${wirePath(generation, 'claimAgentRealtimeSession', SESSION_ID)}`]: conflict,
        [`GET ${wirePath(generation, 'listAgentRealtimeSignals', SESSION_ID)}`]: json(
          200,
          signalsBody([wireSignal({ id: 5, session_id: Number(SESSION_ID) })], session),
        ),
      }),
    );
  }

  function theRead(target: Harness, generation: Generation) {
    const reads = getsTo(target.upstream, wirePath(generation, 'listAgentRealtimeSignals', SESSION_ID));
    expect(reads).toHaveLength(1);
    expect(Object.fromEntries(reads[0]?.query ?? [])).toEqual({ limit: '1' });
    return reads[0];
  }

  it('409 for the same owner token: one read of the session, then the claim succeeds with it', async () => {
    claimConflict(hosts, 'hosts', claimedSession('hosts', { status: 'active' }));

    const response = await mutate(hosts, 'hosts', 'claim', {
      sessionId: SESSION_ID,
      ownerToken: OWNER_TOKEN,
      agentId: '7',
    });

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ claimRealtimeSession: expectedSession('hosts', 'active') });
    expect(postsTo(hosts.upstream)).toHaveLength(1);
    const read = theRead(hosts, 'hosts');
    expect(read?.headers['x-agent-id']).toBe('7');
    expect(read?.headers['x-api-key']).toBe(HOST_KEY);
    expect(apiRequests(hosts.upstream)).toHaveLength(2);
  });

  it('409 for another owner token: CONFLICT with the session status and the 409’s details', async () => {
    claimConflict(
      hosts,
      'hosts',
      claimedSession('hosts', { meta: { claim_owner_token: 'someone-else-token-0001' } }),
    );

    const response = await mutate(hosts, 'hosts', 'claim', {
      sessionId: SESSION_ID,
      ownerToken: OWNER_TOKEN,
    });

    expect(failure(response, 'claim')).toEqual({
      code: 'CONFLICT',
      sessionStatus: 'CLAIMED',
      upstream: { status: 409, code: 'conflict', message: 'Session already claimed.' },
    });
    expect(postsTo(hosts.upstream)).toHaveLength(1);
    theRead(hosts, 'hosts');
    expect(response.text).not.toContain('someone-else-token-0001');
  });

  it('409 and a session without meta: CONFLICT, never a success', async () => {
    claimConflict(hosts, 'hosts', claimedSession('hosts', { status: 'closed', meta: null }));

    const response = await mutate(hosts, 'hosts', 'claim', {
      sessionId: SESSION_ID,
      ownerToken: OWNER_TOKEN,
    });

    expect(failure(response, 'claim')).toMatchObject({ code: 'CONFLICT', sessionStatus: 'CLOSED' });
    theRead(hosts, 'hosts');
  });

  it('409 without an ownerToken (agents generation): CONFLICT with no extra read', async () => {
    claimConflict(agents, 'agents', claimedSession('agents'));

    const response = await mutate(agents, 'agents', 'claim', { sessionId: SESSION_ID });

    expect(failure(response, 'claim')).toEqual({
      code: 'CONFLICT',
      upstream: { status: 409, code: 'conflict', message: 'Session already claimed.' },
    });
    expect(apiRequests(agents.upstream).map((request) => `${request.method} ${request.path}`)).toEqual([
      `POST ${wirePath('agents', 'claimAgentRealtimeSession', SESSION_ID)}`,
    ]);
  });

  it('409 with an ownerToken on the agents generation: the same one read, success on a match', async () => {
    claimConflict(agents, 'agents', claimedSession('agents'));

    const response = await mutate(agents, 'agents', 'claim', {
      sessionId: SESSION_ID,
      ownerToken: OWNER_TOKEN,
    });

    expect(response.body.data).toEqual({ claimRealtimeSession: expectedSession('agents', 'claimed') });
    expect(bodyOf(postsTo(agents.upstream)[0])).toEqual({});
    theRead(agents, 'agents');
  });
});

describe('the mutation log', () => {
  const KEY = 'mca_mutation_log_secret_V3n8';
  const PAYLOAD_TEXT = 'TOP-SECRET-PAYLOAD-7f1e';
  const harness = useGateway({ AGENTMC_API_GENERATION: 'agents', BREAKER_MIN_CALLS: '10000' });

  it('one upstream_mutation line per mutation with route and outcome; never the key or the payload', async () => {
    const send = (requestId: string) =>
      harness.gateway.query(DOCUMENTS.send, {
        variables: { sessionId: SESSION_ID, type: 'chat.message', payload: { text: PAYLOAD_TEXT } },
        headers: { 'x-api-key': KEY, 'x-request-id': requestId },
      });
    const sendPath = `POST ${wirePath('agents', 'createAgentRealtimeSignal', SESSION_ID)}`;
    harness.gateway.logs.length = 0;

    script(harness.upstream, lifecycleApi('agents'));
    const ok = await send('req-log-ok');
    script(
      harness.upstream,
      lifecycleApi('agents', { [sendPath]: json(409, errorEnvelope('conflict', 'Ended.')) }),
    );
    const conflicted = await send('req-log-409');
    const details = { fields: { payload: ['The payload is too large.'] } };
    script(
      harness.upstream,
      lifecycleApi('agents', {
        [sendPath]: json(422, errorEnvelope('validation.failed', 'Invalid.', details)),
      }),
    );
    const invalid = await send('req-log-422');
    script(harness.upstream, lifecycleApi('agents', { [sendPath]: reset }));
    const unknown = await send('req-log-reset');
    script(harness.upstream, lifecycleApi('agents'));
    await harness.gateway.query(DOCUMENTS.close, {
      variables: { sessionId: SESSION_ID, reason: PAYLOAD_TEXT, payload: { note: PAYLOAD_TEXT } },
      headers: { 'x-api-key': KEY, 'x-request-id': 'req-log-close' },
    });

    expect(ok.body.errors).toBeUndefined();
    const lines = harness.gateway.logs.filter((line) => line.event === 'upstream_mutation');
    expect(lines.map((line) => [line.route, line.outcome, line.status, line.requestId])).toEqual([
      ['createAgentRealtimeSignal', 'ok', 200, 'req-log-ok'],
      ['createAgentRealtimeSignal', 'CONFLICT', 409, 'req-log-409'],
      ['createAgentRealtimeSignal', 'BAD_USER_INPUT', 422, 'req-log-422'],
      ['createAgentRealtimeSignal', 'UPSTREAM_UNAVAILABLE', undefined, 'req-log-reset'],
      ['closeAgentRealtimeSession', 'ok', 200, 'req-log-close'],
    ]);
    for (const line of lines) expect(line.keyHash).toBe(credentialFingerprint(KEY));
    const everything = JSON.stringify(harness.gateway.logs);
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(PAYLOAD_TEXT);
    for (const response of [conflicted, invalid, unknown]) {
      expect(response.text).not.toContain(KEY);
      expect(response.text).not.toContain(PAYLOAD_TEXT);
    }
  });

  it('a mutation refused by validation logs no upstream_mutation line', async () => {
    harness.gateway.logs.length = 0;
    await harness.gateway.query(DOCUMENTS.send, {
      variables: { sessionId: '0', type: 'x', payload: { text: PAYLOAD_TEXT } },
      headers: { 'x-api-key': KEY },
    });

    expect(harness.gateway.logs.filter((line) => line.event === 'upstream_mutation')).toEqual([]);
    expect(JSON.stringify(harness.gateway.logs)).not.toContain(PAYLOAD_TEXT);
    expect(apiRequests(harness.upstream)).toHaveLength(0);
  });
});

describe('a mutation runs to its end', () => {
  const harness = useGateway({ AGENTMC_API_GENERATION: 'agents' });

  it('a client that disconnects does not abort the POST once it is sent', async () => {
    const base = lifecycleApi('agents');
    script(harness.upstream, (response, request) =>
      request.method === 'POST' ? delayed(200, base)(response, request) : base(response, request),
    );
    const client = httpRequest(harness.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': AGENT_KEY },
    });
    client.on('error', () => undefined);
    client.end(JSON.stringify({ query: DOCUMENTS.send, variables: validVariables('agents', 'send') }));
    await until(() => postsTo(harness.upstream).length === 1);
    client.destroy();

    expect(await postsTo(harness.upstream)[0]?.abandoned).toBe(false);
    expect(postsTo(harness.upstream)).toHaveLength(1);
  });
});

describe('variables inside a JSON literal', () => {
  const harness = useGateway({ AGENTMC_API_GENERATION: 'agents' });

  it('reach AgentMC with their values (graphql-jit would read the literal without them)', async () => {
    script(harness.upstream, lifecycleApi('agents'));

    const response = await harness.gateway.query(
      `mutation ($text: String!, $n: Int!) {
        sendRealtimeSignal(sessionId: "${SESSION_ID}", type: "message", payload: { text: $text, nested: { n: $n } }) { id }
      }`,
      { variables: { text: 'hello from a variable', n: 7 }, headers: { 'x-api-key': AGENT_KEY } },
    );

    expect(response.body.errors).toBeUndefined();
    expect(bodyOf(postsTo(harness.upstream)[0])).toEqual({
      type: 'message',
      payload: { text: 'hello from a variable', nested: { n: 7 } },
    });
  });
});

describe('the circuit breaker and mutations', () => {
  const harness = useGateway({
    AGENTMC_API_GENERATION: 'agents',
    UPSTREAM_RETRY_ATTEMPTS: '1',
    BREAKER_MIN_CALLS: '3',
    BREAKER_ERROR_PERCENT: '50',
    BREAKER_RESET_MS: '60000',
  });

  it('while open, a mutation is refused without a POST and without an unknown outcome', async () => {
    script(harness.upstream, raw(502, ''));
    for (let i = 0; i < 3; i += 1) await mutate(harness, 'agents', 'send', validVariables('agents', 'send'));
    expect(postsTo(harness.upstream)).toHaveLength(3);

    const refused = await mutate(harness, 'agents', 'send', validVariables('agents', 'send'));

    expect(failure(refused, 'send')).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', circuitOpen: true });
    expect(failure(refused, 'send').outcome).toBeUndefined();
    expect(postsTo(harness.upstream)).toHaveLength(3);
  });
});

describe('the schema says what an unknown outcome is', () => {
  const harness = useGateway();

  it('claim, send, close and both socket auths describe outcome UNKNOWN', async () => {
    const response = await harness.gateway.query(
      '{ __type(name: "Mutation") { fields { name description } } }',
    );
    const fields = (response.body.data?.__type as { fields: { name: string; description: string }[] }).fields;
    for (const name of Object.values(FIELD)) {
      const field = fields.find((candidate) => candidate.name === name);
      expect(field?.description, name).toContain('outcome: "UNKNOWN"');
    }
  });
});
