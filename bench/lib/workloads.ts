/*
 * The requests the benchmark sends, and how to tell a right answer from a wrong one. The same
 * check serves the verification before timing and the spot checks during load.
 */
import { AGENTS_PATHS, sessionPath } from '../../src/agentmc-wire.js';
import { BENCH_SESSION_ID, BENCH_SIGNAL_ID } from '../fixtures.js';

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
  /** Why the parsed answer is wrong, or null when it is right. */
  check(answer: unknown): string | null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks a GraphQL answer: no `errors`, and each expected list under `agent` has `count` items. */
function graphqlCheck(fields: readonly string[], count: number) {
  return (answer: unknown): string | null => {
    if (!isObject(answer)) return 'answer is not a JSON object';
    if (answer.errors !== undefined)
      return `answer has errors: ${JSON.stringify(answer.errors).slice(0, 300)}`;
    const agent = isObject(answer.data) ? answer.data.agent : undefined;
    if (!isObject(agent)) return 'answer has no data.agent';
    for (const field of fields) {
      const list = agent[field];
      if (!Array.isArray(list)) return `data.agent.${field} is not a list`;
      if (list.length !== count) return `data.agent.${field} has ${list.length} sessions, expected ${count}`;
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
