// Over 250 lines on purpose: every measured path's request, its REST floor and its answer check, side by side.
/*
 * The requests the benchmark sends, and how to tell a right answer from a wrong one. The same
 * check serves the verification before timing and the spot checks during load.
 */
import { AGENT_ID_HEADER, AGENTS_PATHS, HOSTS_PATHS, sessionPath } from '../../src/agentmc-wire.js';
import {
  BENCH_AGENT_ID,
  BENCH_SESSION_ID,
  BENCH_SIGNAL_ID,
  BENCH_SIGNALS_LIMIT,
  BENCH_SIGNALS_SESSION_ID,
  FIRST_LISTED_SIGNAL_ID,
} from '../fixtures.js';
import type { KeyKind } from './requests.js';

/** Every field of the benchmark query: the whole mapping (ids, enum, 8 timestamps, meta). */
const SESSION_FIELDS = `id teamId agentId requestedByUserId status claimedAt openedAt closedAt expiresAt
      lastBrowserHeartbeatAt lastAgentHeartbeatAt createdAt updatedAt meta`;

export const BENCH_LIMIT = 20;

export interface Workload {
  /** `limit=20`, `aliases=5`, `rest limit=20`. */
  readonly label: string;
  readonly method: 'GET' | 'POST';
  /** Absolute URL the request goes to. */
  readonly url: string;
  readonly body?: string;
  /** Headers besides `accept`, `content-type` and the key: `X-Agent-Id` on the hosts generation. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Agent keys (`mca_…`, the default) or host keys (`cc_…`, the hosts generation). */
  readonly keyKind?: KeyKind;
  /** Each request draws one of this many keys at random (default: rotates over all API_KEY_COUNT). */
  readonly keyCount?: number;
  /** Why the parsed answer is wrong, or null when it is right. */
  check(answer: unknown): string | null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `data[root]` of a GraphQL answer without `errors`, or why there is none. */
function graphqlRoot(answer: unknown, root: string): Record<string, unknown> | string {
  if (!isObject(answer)) return 'answer is not a JSON object';
  if (answer.errors !== undefined) return `answer has errors: ${JSON.stringify(answer.errors).slice(0, 300)}`;
  const value = isObject(answer.data) ? answer.data[root] : undefined;
  return isObject(value) ? value : `answer has no data.${root}`;
}

/**
 * Checks a GraphQL answer: no `errors`, each expected list under `data[root]` has `count` items,
 * and, when `agentIds` is given, the sessions belong to those agents and no others.
 */
function graphqlCheck(
  fields: readonly string[],
  count: number,
  root = 'agent',
  agentIds?: readonly string[],
) {
  return (answer: unknown): string | null => {
    const parent = graphqlRoot(answer, root);
    if (typeof parent === 'string') return parent;
    for (const field of fields) {
      const list = parent[field];
      if (!Array.isArray(list)) return `data.${root}.${field} is not a list`;
      if (list.length !== count)
        return `data.${root}.${field} has ${list.length} sessions, expected ${count}`;
      if (agentIds === undefined) continue;
      const seen = new Set(list.map((item) => (isObject(item) ? item.agentId : undefined)));
      if (seen.size !== agentIds.length || agentIds.some((id) => !seen.has(id))) {
        return `data.${root}.${field} has sessions of agents ${JSON.stringify([...seen])}, expected ${JSON.stringify(agentIds)}`;
      }
    }
    return null;
  };
}

/** `query Sessions($limit: Int) { agent { requestedSessions(limit: $limit) { … } } }` */
export function sessionsQuery(graphqlUrl: string, limit = BENCH_LIMIT): Workload {
  const query = `query Sessions($limit: Int) {
  agent { requestedSessions(limit: $limit) { ${SESSION_FIELDS} } }
}`;
  return {
    label: `limit=${limit}`,
    method: 'POST',
    url: graphqlUrl,
    body: JSON.stringify({ query, variables: { limit }, operationName: 'Sessions' }),
    check: graphqlCheck(['requestedSessions'], limit),
  };
}

/** `count` identical `sN: requestedSessions(limit: 20)` fields: what does a repeated field cost? */
export function aliasedQuery(graphqlUrl: string, count: number): Workload {
  const aliases = Array.from({ length: count }, (_, i) => `s${i}`);
  const selections = aliases.map(
    (alias) => `${alias}: requestedSessions(limit: ${BENCH_LIMIT}) { ${SESSION_FIELDS} }`,
  );
  return {
    label: `aliases=${count}`,
    method: 'POST',
    url: graphqlUrl,
    body: JSON.stringify({ query: `query Aliased { agent { ${selections.join('\n    ')} } }` }),
    check: graphqlCheck(aliases, BENCH_LIMIT),
  };
}

/** The REST call itself, for the `direct` ceiling: 200 and `data` with `limit` items. */
export function restCall(upstreamBaseUrl: string, limit = BENCH_LIMIT): Workload {
  return {
    label: `rest limit=${limit}`,
    method: 'GET',
    url: `${upstreamBaseUrl}${AGENTS_PATHS.listAgentRealtimeRequestedSessions}?limit=${limit}`,
    check: (answer) => {
      if (!isObject(answer) || !Array.isArray(answer.data)) return 'answer has no data list';
      return answer.data.length === limit ? null : `data has ${answer.data.length} items, expected ${limit}`;
    },
  };
}

/** What the send-signal path sends: a short message, the same for every request. */
export const SIGNAL_TYPE = 'message';
export const SIGNAL_PAYLOAD = { text: 'hello from the bench', seq: 1 } as const;

/**
 * `mutation { sendRealtimeSignal(sessionId: "9002", type: "message", payload: {…}) { id } }`, the
 * payload written inline, as a literal of the JSON scalar: one `POST …/sessions/9002/signals`.
 */
export function sendSignalMutation(graphqlUrl: string): Workload {
  const payload = Object.entries(SIGNAL_PAYLOAD)
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
    .join(', ');
  const query = `mutation SendSignal {
  sendRealtimeSignal(sessionId: "${BENCH_SESSION_ID}", type: "${SIGNAL_TYPE}", payload: { ${payload} }) { id }
}`;
  return {
    label: 'send-signal',
    method: 'POST',
    url: graphqlUrl,
    body: JSON.stringify({ query, operationName: 'SendSignal' }),
    check: (answer) => {
      if (!isObject(answer)) return 'answer is not a JSON object';
      if (answer.errors !== undefined)
        return `answer has errors: ${JSON.stringify(answer.errors).slice(0, 300)}`;
      const signal = isObject(answer.data) ? answer.data.sendRealtimeSignal : undefined;
      if (!isObject(signal)) return 'answer has no data.sendRealtimeSignal';
      return signal.id === String(BENCH_SIGNAL_ID)
        ? null
        : `data.sendRealtimeSignal.id is ${JSON.stringify(signal.id)}, expected "${BENCH_SIGNAL_ID}"`;
    },
  };
}

/** The same POST straight at the fake REST endpoint: the send-signal path's floor. */
export function restSignalPost(upstreamBaseUrl: string): Workload {
  return {
    label: 'rest send-signal',
    method: 'POST',
    url: `${upstreamBaseUrl}${sessionPath(AGENTS_PATHS.createAgentRealtimeSignal, BENCH_SESSION_ID)}`,
    body: JSON.stringify({ type: SIGNAL_TYPE, payload: SIGNAL_PAYLOAD }),
    check: (answer) => {
      const signal = isObject(answer) ? answer.data : undefined;
      if (!isObject(signal)) return 'answer has no data object';
      return signal.id === BENCH_SIGNAL_ID
        ? null
        : `data.id is ${JSON.stringify(signal.id)}, expected ${BENCH_SIGNAL_ID}`;
    },
  };
}

/** What the hosts rows act as: the host's agent 7 (`X-Agent-Id: 7`), or the whole host (its three agents). */
const HOST_AGENTS = [BENCH_AGENT_ID, BENCH_AGENT_ID + 1, BENCH_AGENT_ID + 2].map(String);

/**
 * `{ agent(id: "7") { requestedSessions(limit: 20) { … } } }` with a host key: on the hosts
 * generation one `GET /hosts/realtime/sessions/requested?limit=20` with `X-Agent-Id: 7`.
 */
export function hostsAgentQuery(graphqlUrl: string, limit = BENCH_LIMIT): Workload {
  const query = `query HostsAgent($limit: Int) {
  agent(id: "${BENCH_AGENT_ID}") { requestedSessions(limit: $limit) { ${SESSION_FIELDS} } }
}`;
  return {
    label: `hosts agent(id) limit=${limit}`,
    method: 'POST',
    url: graphqlUrl,
    body: JSON.stringify({ query, variables: { limit }, operationName: 'HostsAgent' }),
    keyKind: 'host',
    check: graphqlCheck(['requestedSessions'], limit, 'agent', [String(BENCH_AGENT_ID)]),
  };
}

/**
 * `{ host { requestedSessions(limit: 20) { … } } }` with a host key: one
 * `GET /hosts/realtime/sessions/requested?limit=20` without `X-Agent-Id`, the whole host's list.
 */
export function hostQuery(graphqlUrl: string, limit = BENCH_LIMIT): Workload {
  const query = `query Host($limit: Int) {
  host { requestedSessions(limit: $limit) { ${SESSION_FIELDS} } }
}`;
  return {
    label: `host limit=${limit}`,
    method: 'POST',
    url: graphqlUrl,
    body: JSON.stringify({ query, variables: { limit }, operationName: 'Host' }),
    keyKind: 'host',
    check: graphqlCheck(['requestedSessions'], limit, 'host', HOST_AGENTS),
  };
}

/** The hosts generation's list straight at the fake REST endpoint, as one agent (`agentId`) or the host. */
export function restHostsCall(
  upstreamBaseUrl: string,
  agentId: number | undefined,
  limit = BENCH_LIMIT,
): Workload {
  const agents = agentId === undefined ? HOST_AGENTS : [String(agentId)];
  return {
    label: `rest hosts ${agentId === undefined ? 'host' : `agent ${agentId}`} limit=${limit}`,
    method: 'GET',
    url: `${upstreamBaseUrl}${HOSTS_PATHS.listAgentRealtimeRequestedSessions}?limit=${limit}`,
    ...(agentId === undefined ? {} : { headers: { [AGENT_ID_HEADER]: String(agentId) } }),
    keyKind: 'host',
    check: (answer) => {
      if (!isObject(answer) || !Array.isArray(answer.data)) return 'answer has no data list';
      if (answer.data.length !== limit) return `data has ${answer.data.length} items, expected ${limit}`;
      const seen = new Set(answer.data.map((item) => (isObject(item) ? String(item.agent_id) : undefined)));
      return seen.size === agents.length && agents.every((id) => seen.has(id))
        ? null
        : `data has sessions of agents ${JSON.stringify([...seen])}, expected ${JSON.stringify(agents)}`;
    },
  };
}

/** The ids a first signals page of `limit` holds: FIRST_LISTED_SIGNAL_ID onwards. */
const pageIds = (limit: number) => Array.from({ length: limit }, (_, i) => FIRST_LISTED_SIGNAL_ID + i);

/**
 * `{ agent { realtimeSignals(sessionId: "9001", limit: 50) { signals { id type payload } nextAfterId hasMore } } }`
 * with an agent key: one `GET /agents/realtime/sessions/9001/signals?limit=50`.
 */
export function signalsQuery(graphqlUrl: string, limit = BENCH_SIGNALS_LIMIT): Workload {
  const query = `query Signals($limit: Int) {
  agent {
    realtimeSignals(sessionId: "${BENCH_SIGNALS_SESSION_ID}", limit: $limit) {
      signals { id type payload }
      nextAfterId
      hasMore
    }
  }
}`;
  const ids = pageIds(limit).map(String);
  return {
    label: `signals limit=${limit}`,
    method: 'POST',
    url: graphqlUrl,
    body: JSON.stringify({ query, variables: { limit }, operationName: 'Signals' }),
    check: (answer) => {
      const agent = graphqlRoot(answer, 'agent');
      if (typeof agent === 'string') return agent;
      const page = agent.realtimeSignals;
      if (!isObject(page) || !Array.isArray(page.signals))
        return 'answer has no data.agent.realtimeSignals.signals';
      const got = page.signals.map((signal) => (isObject(signal) ? signal.id : undefined));
      if (got.length !== limit || got.some((id, i) => id !== ids[i])) {
        return `signals ${JSON.stringify(got.slice(0, 5))}… (${got.length}), expected ${ids[0]}… (${limit})`;
      }
      if (page.nextAfterId !== ids.at(-1)) return `nextAfterId is ${JSON.stringify(page.nextAfterId)}`;
      return page.hasMore === true ? null : `hasMore is ${JSON.stringify(page.hasMore)}, expected true`;
    },
  };
}

/** The same page straight at the fake REST endpoint: the signals row's floor. */
export function restSignalsCall(upstreamBaseUrl: string, limit = BENCH_SIGNALS_LIMIT): Workload {
  const ids = pageIds(limit);
  return {
    label: `rest signals limit=${limit}`,
    method: 'GET',
    url: `${upstreamBaseUrl}${sessionPath(AGENTS_PATHS.listAgentRealtimeSignals, BENCH_SIGNALS_SESSION_ID)}?limit=${limit}`,
    check: (answer) => {
      if (!isObject(answer) || !Array.isArray(answer.data)) return 'answer has no data list';
      const got = answer.data.map((signal) => (isObject(signal) ? signal.id : undefined));
      if (got.length !== limit || got.some((id, i) => id !== ids[i]))
        return `data has ${got.length} signals, not ids ${ids[0]}…`;
      return isObject(answer.session) && answer.session.id === BENCH_SIGNALS_SESSION_ID
        ? null
        : 'answer has no session';
    },
  };
}
