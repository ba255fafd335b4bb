// Over 250 lines: Agent.realtimeSignals in both generations (query, mapping, excludeSender, paging, validation) and RealtimeSession entities read through the signals list.
import { describe, expect, it } from 'vitest';
import {
  API_PREFIX,
  AGENTS_PATHS,
  HOSTS_PATHS,
  errorEnvelope,
  requestedSessionsBody,
  signalsBody,
  wireSession,
  wireSignal,
  type WireSession,
  type WireSignal,
} from '../src/agentmc-wire.js';
import { json, type RecordedRequest, type Responder } from './support/fake-upstream.js';
import { useGateway, type Harness } from './support/harness.js';
import { apiRequests, byRoute, getsTo, script, wirePath, type Generation } from './support/lifecycle.js';

/*
 * `Agent.realtimeSignals` over `GET .../sessions/{session}/signals` (`after_id`, `limit`, and
 * `exclude_sender` where the generation has it), with the gateway filtering where it has not,
 * and `RealtimeSession` entities resolved through the same list (`limit=1`) when they are not
 * among the requested sessions.
 */

const AGENT_KEY = 'mca_signals_tests_key';
const HOST_KEY = 'cc_signals_tests_host_key';
const SESSION_ID = 41;

const GENERATIONS = {
  agents: { key: AGENT_KEY, agentId: 77, agentArgument: undefined },
  hosts: { key: HOST_KEY, agentId: 7, agentArgument: '7' },
} as const;

const SIGNALS = /* GraphQL */ `
  query Signals(
    $agentId: ID
    $sessionId: ID!
    $afterId: ID
    $limit: Int
    $excludeSender: RealtimeSignalSender
  ) {
    agent(id: $agentId) {
      realtimeSignals(
        sessionId: $sessionId
        afterId: $afterId
        limit: $limit
        excludeSender: $excludeSender
      ) {
        signals {
          id
          sender
        }
        nextAfterId
        hasMore
      }
    }
  }
`;

const SIGNALS_IN_FULL = /* GraphQL */ `
  query SignalsInFull($agentId: ID, $sessionId: ID!) {
    agent(id: $agentId) {
      realtimeSignals(sessionId: $sessionId) {
        signals {
          id
          sessionId
          agentId
          teamId
          sender
          upstreamSender
          type
          payload
          createdAt
          updatedAt
          session {
            id
            status
            agentId
          }
        }
        session {
          id
          teamId
          agentId
          status
          upstreamStatus
          meta
        }
        nextAfterId
        hasMore
      }
    }
  }
`;

interface Page {
  signals: { id: string; sender: string }[];
  nextAfterId: string | null;
  hasMore: boolean;
}

function activeSession(generation: Generation, id = SESSION_ID): WireSession {
  return wireSession({
    id,
    team_id: 12,
    agent_id: GENERATIONS[generation].agentId,
    status: 'active',
    meta: { topic: 'support' },
  });
}

/** The `n` signals 1..n of the session, senders in turn as `senders` lists them. */
function rows(generation: Generation, senders: string[]): WireSignal[] {
  return senders.map((sender, index) =>
    wireSignal({
      id: index + 1,
      team_id: 12,
      agent_id: GENERATIONS[generation].agentId,
      session_id: SESSION_ID,
      sender,
      type: 'message',
    }),
  );
}

/**
 * The signals list as AgentMC answers it: rows with id > after_id, `exclude_sender` applied on
 * the agents generation only (the hosts generation has no such parameter), then `limit`.
 */
function signalsServer(
  generation: Generation,
  all: WireSignal[],
  session = activeSession(generation),
): Responder {
  return byRoute({
    [`GET ${wirePath(generation, 'listAgentRealtimeSignals', session.id)}`]: (response, request) => {
      const after = Number(request.query.get('after_id') ?? '0');
      const limit = Number(request.query.get('limit') ?? '50');
      const excluded = generation === 'agents' ? request.query.get('exclude_sender') : null;
      const page = all.filter((row) => row.id > after && row.sender !== excluded).slice(0, limit);
      json(200, signalsBody(page, session))(response, request);
    },
  });
}

function listRequests(harness: Harness, generation: Generation, sessionId = SESSION_ID): RecordedRequest[] {
  return getsTo(harness.upstream, wirePath(generation, 'listAgentRealtimeSignals', sessionId));
}

const queryOf = (request: RecordedRequest | undefined) => [...(request?.query.entries() ?? [])];

describe.each(['agents', 'hosts'] as const)('Agent.realtimeSignals on the %s generation', (generation) => {
  const harness = useGateway({ AGENTMC_API_GENERATION: generation });
  const { key, agentId, agentArgument } = GENERATIONS[generation];

  async function page(variables: Record<string, unknown>) {
    const response = await harness.gateway.query(SIGNALS, {
      variables: { agentId: agentArgument, sessionId: String(SESSION_ID), ...variables },
      headers: { 'x-api-key': key },
    });
    expect(response.body.errors).toBeUndefined();
    return (response.body.data?.agent as { realtimeSignals: Page }).realtimeSignals;
  }

  async function refused(variables: Record<string, unknown>, argumentName: string) {
    script(harness.upstream, signalsServer(generation, rows(generation, ['agent'])));
    const response = await harness.gateway.query(SIGNALS, {
      variables: { agentId: agentArgument, sessionId: String(SESSION_ID), ...variables },
      headers: { 'x-api-key': key },
    });
    expect(response.body.data).toEqual({ agent: null });
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]?.path).toEqual(['agent', 'realtimeSignals']);
    expect(apiRequests(harness.upstream)).toHaveLength(0);
    return response.body.errors?.[0]?.extensions ?? {};
  }

  it('GETs the list with limit 50 and no after_id by default, as the agent', async () => {
    script(harness.upstream, signalsServer(generation, []));

    await page({});

    const requests = apiRequests(harness.upstream);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe(`${API_PREFIX}/${generation}/realtime/sessions/41/signals`);
    expect(queryOf(request)).toEqual([['limit', '50']]);
    expect(request?.headers['x-api-key']).toBe(key);
    expect(request?.headers['x-agent-id']).toBe(generation === 'hosts' ? '7' : undefined);
  });

  it.each([
    [
      { afterId: '0' },
      [
        ['after_id', '0'],
        ['limit', '50'],
      ],
    ],
    [
      { afterId: '12', limit: 2 },
      [
        ['after_id', '12'],
        ['limit', '2'],
      ],
    ],
    [{ limit: 1 }, [['limit', '1']]],
    [{ limit: 200 }, [['limit', '200']]],
  ])('%j asks for %j', async (variables, query) => {
    script(harness.upstream, signalsServer(generation, []));

    await page(variables);

    expect(queryOf(listRequests(harness, generation)[0])).toEqual(query);
  });

  it(`excludeSender ${generation === 'agents' ? 'goes upstream as exclude_sender' : 'is not sent upstream'}`, async () => {
    script(harness.upstream, signalsServer(generation, rows(generation, ['agent', 'browser', 'agent'])));

    const result = await page({ excludeSender: 'AGENT', afterId: '0', limit: 10 });

    expect(queryOf(listRequests(harness, generation)[0])).toEqual(
      generation === 'agents'
        ? [
            ['after_id', '0'],
            ['limit', '10'],
            ['exclude_sender', 'agent'],
          ]
        : [
            ['after_id', '0'],
            ['limit', '10'],
          ],
    );
    expect(result).toEqual({
      signals: [{ id: '2', sender: 'BROWSER' }],
      nextAfterId: generation === 'agents' ? '2' : '3',
      hasMore: false,
    });
  });

  it.each([
    ['BROWSER', 'browser'],
    ['SYSTEM', 'system'],
  ])('excludeSender %s is sent (agents) or applied (hosts) as %s', async (excludeSender, wire) => {
    script(harness.upstream, signalsServer(generation, rows(generation, ['agent', 'browser', 'system'])));

    const result = await page({ excludeSender });

    expect(listRequests(harness, generation)[0]?.query.get('exclude_sender')).toBe(
      generation === 'agents' ? wire : null,
    );
    expect(result.signals.map((signal) => signal.sender)).toEqual(
      ['AGENT', 'BROWSER', 'SYSTEM'].filter((sender) => sender !== excludeSender),
    );
  });

  it('maps every field of a signal and the session of the page', async () => {
    const session = activeSession(generation);
    const signal = wireSignal({
      id: 901,
      team_id: 12,
      agent_id: agentId,
      session_id: SESSION_ID,
      sender: 'browser',
      type: 'chat.message',
      payload: { text: 'hello', items: [1, 2] },
      created_at: '2026-03-01T10:00:01Z',
      updated_at: '2026-03-01T12:00:02+02:00',
    });
    const unknownSender = wireSignal({
      id: 902,
      agent_id: agentId,
      team_id: 12,
      session_id: SESSION_ID,
      sender: 'webhook',
    });
    script(harness.upstream, signalsServer(generation, [signal, unknownSender], session));

    const response = await harness.gateway.query(SIGNALS_IN_FULL, {
      variables: { agentId: agentArgument, sessionId: String(SESSION_ID) },
      headers: { 'x-api-key': key },
    });

    expect(response.body.errors).toBeUndefined();
    const expectedSession = { id: '41', status: 'ACTIVE', agentId: String(agentId) };
    expect(response.body.data).toEqual({
      agent: {
        realtimeSignals: {
          signals: [
            {
              id: '901',
              sessionId: '41',
              agentId: String(agentId),
              teamId: '12',
              sender: 'BROWSER',
              upstreamSender: 'browser',
              type: 'chat.message',
              payload: { text: 'hello', items: [1, 2] },
              createdAt: '2026-03-01T10:00:01.000Z',
              updatedAt: '2026-03-01T10:00:02.000Z',
              session: expectedSession,
            },
            {
              id: '902',
              sessionId: '41',
              agentId: String(agentId),
              teamId: '12',
              sender: 'UNKNOWN',
              upstreamSender: 'webhook',
              type: 'message',
              payload: null,
              createdAt: null,
              updatedAt: null,
              session: expectedSession,
            },
          ],
          session: {
            id: '41',
            teamId: '12',
            agentId: String(agentId),
            status: 'ACTIVE',
            upstreamStatus: 'active',
            meta: { topic: 'support' },
          },
          nextAfterId: '902',
          hasMore: false,
        },
      },
    });
  });

  it('hasMore is true when AgentMC returned exactly limit rows; nextAfterId is the last id', async () => {
    script(
      harness.upstream,
      signalsServer(generation, rows(generation, ['agent', 'browser', 'system', 'agent'])),
    );

    expect(await page({ limit: 3 })).toEqual({
      signals: [
        { id: '1', sender: 'AGENT' },
        { id: '2', sender: 'BROWSER' },
        { id: '3', sender: 'SYSTEM' },
      ],
      nextAfterId: '3',
      hasMore: true,
    });
    expect(await page({ limit: 3, afterId: '3' })).toEqual({
      signals: [{ id: '4', sender: 'AGENT' }],
      nextAfterId: '4',
      hasMore: false,
    });
  });

  it('an empty page keeps the afterId given, or null without one', async () => {
    script(harness.upstream, signalsServer(generation, rows(generation, ['agent', 'agent'])));

    expect(await page({ afterId: '9' })).toEqual({ signals: [], nextAfterId: '9', hasMore: false });
    expect(await page({ afterId: '2' })).toEqual({ signals: [], nextAfterId: '2', hasMore: false });

    script(harness.upstream, signalsServer(generation, []));
    expect(await page({})).toEqual({ signals: [], nextAfterId: null, hasMore: false });
  });

  it('feeding nextAfterId back reads every signal once, in order, across page boundaries', async () => {
    const senders = ['agent', 'browser', 'system', 'browser', 'agent', 'agent', 'browser'];
    script(harness.upstream, signalsServer(generation, rows(generation, senders)));

    const seen: string[] = [];
    let afterId: string | undefined;
    for (let pages = 0; pages < 10; pages += 1) {
      const result = await page({ limit: 3, ...(afterId === undefined ? {} : { afterId }) });
      seen.push(...result.signals.map((signal) => signal.id));
      afterId = result.nextAfterId ?? undefined;
      if (!result.hasMore) break;
    }

    expect(seen).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(listRequests(harness, generation).map((request) => request.query.get('after_id'))).toEqual([
      null,
      '3',
      '6',
    ]);
  });

  it('with excludeSender, paging still advances past pages whose rows were all excluded', async () => {
    // Rows 4..6 are the agent's own: on the hosts generation the gateway drops a whole page.
    const senders = ['browser', 'agent', 'browser', 'agent', 'agent', 'agent', 'system', 'agent'];
    script(harness.upstream, signalsServer(generation, rows(generation, senders)));

    const pages: Page[] = [];
    let afterId: string | undefined;
    for (let count = 0; count < 10; count += 1) {
      const result = await page({
        limit: 3,
        excludeSender: 'AGENT',
        ...(afterId === undefined ? {} : { afterId }),
      });
      pages.push(result);
      afterId = result.nextAfterId ?? undefined;
      if (!result.hasMore) break;
    }

    const ids = pages.flatMap((result) => result.signals.map((signal) => signal.id));
    expect(ids).toEqual(['1', '3', '7']);
    if (generation === 'hosts') {
      expect(pages).toEqual([
        {
          signals: [
            { id: '1', sender: 'BROWSER' },
            { id: '3', sender: 'BROWSER' },
          ],
          nextAfterId: '3',
          hasMore: true,
        },
        { signals: [], nextAfterId: '6', hasMore: true },
        { signals: [{ id: '7', sender: 'SYSTEM' }], nextAfterId: '8', hasMore: false },
      ]);
    } else {
      // AgentMC applied the filter: its rows are 1, 3, 7 (fewer than the limit).
      expect(pages).toEqual([
        {
          signals: [
            { id: '1', sender: 'BROWSER' },
            { id: '3', sender: 'BROWSER' },
            { id: '7', sender: 'SYSTEM' },
          ],
          nextAfterId: '7',
          hasMore: true,
        },
        { signals: [], nextAfterId: '7', hasMore: false },
      ]);
    }
  });

  it('rows out of id order come back in id order, nextAfterId the highest', async () => {
    const [one, two, three] = rows(generation, ['agent', 'browser', 'system']);
    script(
      harness.upstream,
      byRoute({
        [`GET ${wirePath(generation, 'listAgentRealtimeSignals', SESSION_ID)}`]: json(
          200,
          signalsBody([three!, one!, two!], activeSession(generation)),
        ),
      }),
    );

    expect(await page({ limit: 3 })).toEqual({
      signals: [
        { id: '1', sender: 'AGENT' },
        { id: '2', sender: 'BROWSER' },
        { id: '3', sender: 'SYSTEM' },
      ],
      nextAfterId: '3',
      hasMore: true,
    });
  });

  it.each(['0', '-1', '1.5', 'abc', '1'.repeat(20), '07', ''])(
    'sessionId %j is BAD_USER_INPUT',
    async (sessionId) => {
      expect(await refused({ sessionId }, 'sessionId')).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName: 'sessionId',
      });
    },
  );

  it.each(['-1', 'abc', '1.5', '1'.repeat(20)])('afterId %j is BAD_USER_INPUT', async (afterId) => {
    expect(await refused({ afterId }, 'afterId')).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'afterId',
    });
  });

  it.each([0, -1, 201, 1000])('limit %i is BAD_USER_INPUT with the range', async (limit) => {
    expect(await refused({ limit }, 'limit')).toEqual({
      code: 'BAD_USER_INPUT',
      argumentName: 'limit',
      min: 1,
      max: 200,
    });
  });

  it('excludeSender UNKNOWN is BAD_USER_INPUT', async () => {
    expect(await refused({ excludeSender: 'UNKNOWN' }, 'excludeSender')).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'excludeSender',
    });
  });

  it('a 404 from AgentMC is NOT_FOUND on the field', async () => {
    script(harness.upstream, byRoute({}));

    const response = await harness.gateway.query(SIGNALS, {
      variables: { agentId: agentArgument, sessionId: '999' },
      headers: { 'x-api-key': key },
    });

    expect(response.body.data).toEqual({ agent: null });
    expect(response.body.errors?.[0]?.path).toEqual(['agent', 'realtimeSignals']);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      upstream: { status: 404 },
    });
    expect(listRequests(harness, generation, 999)).toHaveLength(1);
  });

  it('two identical fields in one request share one call; different pages do not', async () => {
    script(harness.upstream, signalsServer(generation, rows(generation, ['agent', 'browser'])));

    const response = await harness.gateway.query(
      `query ($agentId: ID) { agent(id: $agentId) {
        a: realtimeSignals(sessionId: "41") { nextAfterId }
        b: realtimeSignals(sessionId: "41") { hasMore }
        c: realtimeSignals(sessionId: "41", afterId: "1") { nextAfterId }
      } }`,
      { variables: { agentId: agentArgument }, headers: { 'x-api-key': key } },
    );

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      agent: { a: { nextAfterId: '2' }, b: { hasMore: false }, c: { nextAfterId: '2' } },
    });
    expect(listRequests(harness, generation)).toHaveLength(2);
  });
});

const SESSION_ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on RealtimeSession {
        id
        status
        agentId
      }
    }
  }
`;

describe.each(['agents', 'hosts'] as const)('RealtimeSession entities on the %s generation', (generation) => {
  const harness = useGateway({ AGENTMC_API_GENERATION: generation });
  const { key, agentId } = GENERATIONS[generation];
  const requestedPath = `${API_PREFIX}${(generation === 'hosts' ? HOSTS_PATHS : AGENTS_PATHS).listAgentRealtimeRequestedSessions}`;
  const requested = [
    wireSession({ id: 1, team_id: 12, agent_id: agentId, status: 'requested' }),
    wireSession({ id: 2, team_id: 12, agent_id: agentId, status: 'requested' }),
  ];

  /** The requested list holds sessions 1 and 2; sessions 41 and 42 are known only to the signals list. */
  function api(extra: Record<string, Responder> = {}): Responder {
    return byRoute({
      [`GET ${requestedPath}`]: json(200, requestedSessionsBody(requested)),
      [`GET ${wirePath(generation, 'listAgentRealtimeSignals', 41)}`]: json(
        200,
        signalsBody(rows(generation, ['agent']), { ...activeSession(generation), status: 'closed' }),
      ),
      [`GET ${wirePath(generation, 'listAgentRealtimeSignals', 42)}`]: json(
        200,
        signalsBody([], activeSession(generation, 42)),
      ),
      ...extra,
    });
  }

  async function entities(ids: string[]) {
    const response = await harness.gateway.query(SESSION_ENTITIES, {
      variables: { representations: ids.map((id) => ({ __typename: 'RealtimeSession', id })) },
      headers: { 'x-api-key': key },
    });
    return response;
  }

  const signalReads = () =>
    apiRequests(harness.upstream).filter((request) => request.path.endsWith('/signals'));

  it('ids in the requested list cost the one list call, no signals read', async () => {
    script(harness.upstream, api());

    const response = await entities(['2', '1', '2']);

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      _entities: [
        { id: '2', status: 'REQUESTED', agentId: String(agentId) },
        { id: '1', status: 'REQUESTED', agentId: String(agentId) },
        { id: '2', status: 'REQUESTED', agentId: String(agentId) },
      ],
    });
    expect(apiRequests(harness.upstream).map((request) => request.path)).toEqual([requestedPath]);
  });

  it('an id not in the list is read once with GET .../sessions/{id}/signals?limit=1', async () => {
    script(harness.upstream, api());

    const response = await entities(['1', '41', '42', '41']);

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      _entities: [
        { id: '1', status: 'REQUESTED', agentId: String(agentId) },
        { id: '41', status: 'CLOSED', agentId: String(agentId) },
        { id: '42', status: 'ACTIVE', agentId: String(agentId) },
        { id: '41', status: 'CLOSED', agentId: String(agentId) },
      ],
    });
    expect(getsTo(harness.upstream, requestedPath)).toHaveLength(1);
    const reads = signalReads();
    expect(reads.map((request) => request.path).sort()).toEqual([
      wirePath(generation, 'listAgentRealtimeSignals', 41),
      wirePath(generation, 'listAgentRealtimeSignals', 42),
    ]);
    for (const read of reads) expect(queryOf(read)).toEqual([['limit', '1']]);
    expect(apiRequests(harness.upstream)).toHaveLength(3);
  });

  it('an id AgentMC does not know (404) is null', async () => {
    script(harness.upstream, api());

    const response = await entities(['999', '1']);

    expect(response.body.data).toEqual({
      _entities: [null, { id: '1', status: 'REQUESTED', agentId: String(agentId) }],
    });
    expect(response.body.errors).toBeUndefined();
    expect(signalReads().map((request) => `${request.path}?${request.query}`)).toEqual([
      `${wirePath(generation, 'listAgentRealtimeSignals', 999)}?limit=1`,
    ]);
  });

  it('a 410 for the session is null too', async () => {
    script(
      harness.upstream,
      api({
        [`GET ${wirePath(generation, 'listAgentRealtimeSignals', 43)}`]: json(
          410,
          errorEnvelope('gone', 'The session is gone.'),
        ),
      }),
    );

    const response = await entities(['43']);

    expect(response.body.data).toEqual({ _entities: [null] });
    expect(response.body.errors).toBeUndefined();
  });

  it('a 500 on the session read is an error on that entity only', async () => {
    script(
      harness.upstream,
      api({
        [`GET ${wirePath(generation, 'listAgentRealtimeSignals', 43)}`]: json(
          500,
          errorEnvelope('boom', 'Boom.'),
        ),
      }),
    );

    const response = await entities(['1', '43']);

    expect(response.body.data).toEqual({
      _entities: [{ id: '1', status: 'REQUESTED', agentId: String(agentId) }, null],
    });
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]?.path).toEqual(['_entities', 1]);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});
