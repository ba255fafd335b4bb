import type { RealtimeSession } from '../upstream/models.js';
import { builder } from './builder.js';

/*
 * The refs of the object types that name each other (an agent lists its sessions, a session
 * names its agent), declared here so that the files implementing them import this one, not
 * each other.
 */

/**
 * The agent is whoever the request's key authenticates. Its id is known up front only when
 * it arrives as a federation reference; otherwise it is fetched when asked for.
 */
export interface AuthenticatedAgent {
  readonly id?: string;
}

export const AgentRef = builder.objectRef<AuthenticatedAgent>('Agent');

export const RealtimeSessionRef = builder.objectRef<RealtimeSession>('RealtimeSession');
