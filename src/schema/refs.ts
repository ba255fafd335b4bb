import type { RealtimeSession, RealtimeSignal } from '../upstream/models.js';
import { builder } from './builder.js';

/*
 * The refs of the object types that name each other (an agent lists its sessions, a session
 * names its agent), declared here so that the files implementing them import this one, not
 * each other.
 */

/**
 * The agent a request acts as. With an agent key it is whoever the key authenticates, and its id
 * is known up front only when the request named it; otherwise it is fetched when asked for. With
 * a host key the request names it, and `actingAs` (sent as `X-Agent-Id`) is that id.
 */
export interface AuthenticatedAgent {
  readonly id?: string;
  readonly actingAs: string | undefined;
}

export const AgentRef = builder.objectRef<AuthenticatedAgent>('Agent');

export const RealtimeSessionRef = builder.objectRef<RealtimeSession>('RealtimeSession');

export const RealtimeSignalRef = builder.objectRef<RealtimeSignal>('RealtimeSignal');
