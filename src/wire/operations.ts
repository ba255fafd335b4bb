import { errorEnvelope, type WireErrorEnvelope } from './errors.js';
import { HOSTS_PATHS } from './paths.js';

/*
 * The lifecycle's operations as a stand-in server publishes and answers them: each operation's
 * method, a document that lists them with their operationIds, the default signals page and the
 * 409 and 422 answers. Imports nothing outside `src/wire/`.
 */

/** Every operationId of either generation (the agents generation lacks the host socket auth). */
export type OperationId = keyof typeof HOSTS_PATHS;

/** The HTTP method of each operation, the same in both generations. */
export const OPERATION_METHODS: Readonly<Record<OperationId, 'get' | 'post'>> = {
  listAgentRealtimeRequestedSessions: 'get',
  getAgentInstructions: 'get',
  claimAgentRealtimeSession: 'post',
  listAgentRealtimeSignals: 'get',
  createAgentRealtimeSignal: 'post',
  closeAgentRealtimeSession: 'post',
  authenticateAgentRealtimeSocket: 'post',
  authenticateHostRealtimeSocket: 'post',
};

/**
 * A minimal OpenAPI document that lists each operation of `paths` (operationId → path relative
 * to `/api/v1`) under its path and method, as a server publishes it.
 */
export function openApiOperationsDocument(paths: Readonly<Partial<Record<OperationId, string>>>): {
  openapi: string;
  info: object;
  paths: Record<string, Record<string, { operationId: string }>>;
} {
  const byPath: Record<string, Record<string, { operationId: string }>> = {};
  for (const [operationId, path] of Object.entries(paths) as [OperationId, string][]) {
    byPath[path] = { ...byPath[path], [OPERATION_METHODS[operationId]]: { operationId } };
  }
  return { openapi: '3.0.0', info: { title: 'AgentMC API', version: 'v1' }, paths: byPath };
}

/** The page size of the signals list when `limit` is not given. */
export const SIGNALS_DEFAULT_LIMIT = 50;

/** The codes of the 409s a stand-in gives on the lifecycle's operations. */
export const LIFECYCLE_CONFLICTS = {
  /** Claimed by another owner (another owner token on the hosts generation, another key on the agents one). */
  claimed: 'realtime.session_claimed',
  /** A signal for a session nobody has claimed yet. */
  notClaimed: 'realtime.session_not_claimed',
  /** Closed, failed or expired: it takes no claim, signal, close or socket auth any more. */
  ended: 'realtime.session_ended',
} as const;
export type LifecycleConflict = keyof typeof LIFECYCLE_CONFLICTS;

const CONFLICT_MESSAGES: Record<LifecycleConflict, string> = {
  claimed: 'The session is already claimed by another owner.',
  notClaimed: 'The session must be claimed before it takes signals.',
  ended: 'The session has ended.',
};

/** A 409 for session `sessionId`, in status `status`; the status is in `details`. */
export function sessionConflict(
  kind: LifecycleConflict,
  sessionId: number,
  status: string,
): { status: number; body: WireErrorEnvelope } {
  return {
    status: 409,
    body: errorEnvelope(LIFECYCLE_CONFLICTS[kind], CONFLICT_MESSAGES[kind], {
      session_id: sessionId,
      status,
    }),
  };
}

/** A 422 naming each field that failed validation, with its messages (`details.fields`). */
export function fieldsInvalid(fields: Record<string, string[]>): { status: number; body: WireErrorEnvelope } {
  return { status: 422, body: errorEnvelope('validation.failed', 'Validation failed.', { fields }) };
}

/**
 * What a Pusher-protocol server signs for a private channel: `"<socket_id>:<channel_name>"`. The
 * `auth` answer is `"<app key>:<hex HMAC-SHA256 of this string with the app secret>"`.
 */
export function socketSignatureSubject(socketId: string, channelName: string): string {
  return `${socketId}:${channelName}`;
}
