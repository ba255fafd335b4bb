/*
 * What AgentMC's bodies look like, as its OpenAPI document describes them: limits, statuses and
 * the documented payloads, with builders for stand-in servers. Imports nothing.
 */

/** The range the API documents for `limit` on the requested-sessions list. */
export const REQUESTED_SESSIONS_LIMIT = { min: 1, max: 100, default: 20 } as const;

/** `limit` on the signals list (`after_id` is an integer ≥ 0: "id greater than"). */
export const SIGNALS_LIMIT = { min: 1, max: 200 } as const;

/** Who sent a signal, as the API spells it. */
export const SIGNAL_SENDERS = ['agent', 'browser', 'system'] as const;
export type WireSignalSender = (typeof SIGNAL_SENDERS)[number];

/** How a session may be closed (`closeAgentRealtimeSession`'s `status`). */
export const CLOSE_STATUSES = ['closed', 'failed'] as const;

/** The statuses after which a session takes no more signals. */
export const ENDED_SESSION_STATUSES = ['closed', 'failed', 'expired'] as const;

/**
 * The documented limits of the lifecycle's request bodies. The two patterns are written PHP-style
 * in the documents (`/^[a-z0-9_.:-]+$/i`): case-insensitive.
 */
export const LIFECYCLE_LIMITS = {
  signalType: { maxLength: 64, pattern: /^[a-z0-9_.:-]+$/i },
  ownerToken: { minLength: 16, maxLength: 128, pattern: /^[a-z0-9:_-]+$/i },
  reason: { maxLength: 500 },
  socketId: { maxLength: 100, pattern: /^\d+\.\d+$/ },
  channelName: { maxLength: 190 },
  /** "keep ≲48KB for websocket broadcast": guidance, which the gateway enforces (configurable). */
  payloadBytes: 48 * 1024,
} as const;

/** The lifecycle statuses the API documents for a realtime session, in its own spelling. */
export const SESSION_STATUSES = ['requested', 'claimed', 'active', 'closed', 'failed', 'expired'] as const;
export type WireSessionStatus = (typeof SESSION_STATUSES)[number];

/** An RFC 3339 timestamp, or null where the API documents one. */
type WireTimestamp = string | null;

/** `AgentRealtimeSession.socket`: where the browser and the agent meet. */
export type WireSocket = {
  connection: {
    driver: string;
    key: string;
    cluster: string;
    host: string;
    port: number;
    scheme: string;
    path: string;
  };
  channel: string;
  event: string;
  auth_endpoint: string;
};

/**
 * One `AgentRealtimeSession` exactly as the API sends it: snake_case, every key present. A type,
 * not an interface, so a session is also a `Record<string, unknown>`.
 */
export type WireSession = {
  id: number;
  team_id: number;
  agent_id: number;
  requested_by_user_id: number | null;
  /** One of SESSION_STATUSES, or one the API added later (the gateway must cope). */
  status: WireSessionStatus | (string & {});
  claimed_at: WireTimestamp;
  opened_at: WireTimestamp;
  closed_at: WireTimestamp;
  expires_at: WireTimestamp;
  last_browser_heartbeat_at: WireTimestamp;
  last_agent_heartbeat_at: WireTimestamp;
  meta: Record<string, unknown> | null;
  /** Optional in the document: present only while a session can be joined. */
  socket?: WireSocket;
  created_at: WireTimestamp;
  updated_at: WireTimestamp;
};

/**
 * A documented session from a few overrides: every other key present, with the API's nulls (no
 * user, no timestamps, no meta, no socket), status `requested`, team and agent 1.
 */
export function wireSession(overrides: Partial<WireSession> = {}): WireSession {
  const { socket, created_at = null, updated_at = null, ...fields } = overrides;
  return {
    id: 1,
    team_id: 1,
    agent_id: 1,
    requested_by_user_id: null,
    status: 'requested',
    claimed_at: null,
    opened_at: null,
    closed_at: null,
    expires_at: null,
    last_browser_heartbeat_at: null,
    last_agent_heartbeat_at: null,
    meta: null,
    ...fields,
    // Where the API puts it: after meta, before the record's own timestamps.
    ...(socket === undefined ? {} : { socket }),
    created_at,
    updated_at,
  };
}

/** A socket block for session `id`, in the shape the API documents; `overrides` replace its parts. */
export function wireSocket(id: number, overrides: Partial<WireSocket> = {}): WireSocket {
  return {
    connection: {
      driver: 'reverb',
      key: 'app-key',
      cluster: 'eu',
      host: 'ws.agentmc.example',
      port: 443,
      scheme: 'https',
      path: '/app',
    },
    channel: `private-realtime-session.${id}`,
    event: 'realtime.signal',
    auth_endpoint: 'https://agentmc.example/broadcasting/auth',
    ...overrides,
  };
}

/** The 200 body of `listAgentRealtimeRequestedSessions`. */
export function requestedSessionsBody(sessions: WireSession[]): { data: WireSession[] } {
  return { data: sessions };
}

/** `AgentInstructionsResponse`: the agent's identity and its instruction bundle. */
export type WireInstructions = {
  ok: boolean;
  changed: boolean;
  bundle_version: string;
  generated_at: string;
  defaults: { heartbeat_interval_seconds: number };
  agent: { id: number };
  files: { id: string; path: string; content: string; sha256: string }[];
};

/** The 200 body of `getAgentInstructions` for agent `agentId`; `overrides` replace the rest. */
export function wireInstructions(
  agentId: number,
  overrides: Partial<Omit<WireInstructions, 'agent'>> = {},
): WireInstructions {
  return {
    ok: true,
    changed: true,
    bundle_version: 'bundle_2fa07fcadd6575cc',
    generated_at: '2026-02-25T14:10:00Z',
    defaults: { heartbeat_interval_seconds: 300 },
    agent: { id: agentId },
    files: [],
    ...overrides,
  };
}

/** One `AgentRealtimeSignal` as the API sends it. */
export type WireSignal = {
  id: number;
  team_id: number;
  agent_id: number;
  session_id: number;
  sender: WireSignalSender | (string & {});
  type: string;
  payload: Record<string, unknown> | Record<string, unknown>[] | null;
  created_at: WireTimestamp;
  updated_at: WireTimestamp;
};

/** A documented signal from a few overrides: sender `agent`, type `message`, no payload. */
export function wireSignal(overrides: Partial<WireSignal> = {}): WireSignal {
  return {
    id: 1,
    team_id: 1,
    agent_id: 1,
    session_id: 1,
    sender: 'agent',
    type: 'message',
    payload: null,
    created_at: null,
    updated_at: null,
    ...overrides,
  };
}

/** `listAgentRealtimeSignals`' 200 body: the page and the session it belongs to. */
export function signalsBody(
  signals: WireSignal[],
  session: WireSession,
): { data: WireSignal[]; session: WireSession } {
  return { data: signals, session };
}

/** `createAgentRealtimeSignal`'s 200 body. */
export function signalBody(
  signal: WireSignal,
  session: WireSession,
): { data: WireSignal; session: WireSession } {
  return { data: signal, session };
}

/** The 200 body of claim and close. */
export function sessionBody(session: WireSession): { data: WireSession } {
  return { data: session };
}
