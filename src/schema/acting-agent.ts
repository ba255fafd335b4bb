import type { GatewayContext } from '../context.js';
import { agentIdRequired, anotherAgentForbidden, malformedAgentId } from '../errors.js';
import type { AuthenticatedAgent } from './refs.js';

/*
 * Which agent a request acts as. With a host key (hosts generation) the request names it, and
 * every call of its fields sends that id as `X-Agent-Id`; with an agent key (agents generation)
 * the key is the agent, and an id, when given, must be its own.
 */

/** Agent ids are integers from 1, as the API documents `X-Agent-Id`; at most 19 digits. */
const AGENT_ID = /^[1-9]\d{0,18}$/;

/** `id` unchanged when it is an agent id; BAD_USER_INPUT naming `argumentName` otherwise. */
export function checkedAgentId(id: string, argumentName: string): string {
  if (!AGENT_ID.test(id)) throw malformedAgentId(argumentName);
  return id;
}

const keyOwnAgent: AuthenticatedAgent = Object.freeze({ actingAs: undefined });

/**
 * The agent `id` names, checked before any call: on the hosts generation it is required; on the
 * agents generation it is optional and, when given, compared with the key's own agent
 * (`GET /agents/instructions`), FORBIDDEN when another.
 */
export async function actingAgent(
  context: GatewayContext,
  id: string | null | undefined,
  argumentName: string,
): Promise<AuthenticatedAgent> {
  context.credential.caller();
  if (id !== null && id !== undefined) checkedAgentId(id, argumentName);
  if ((await context.loaders.generation()) === 'hosts') {
    if (id === null || id === undefined) throw agentIdRequired(argumentName);
    return { id, actingAs: id };
  }
  if (id === null || id === undefined) return keyOwnAgent;
  const self = await context.loaders.agentIdentity();
  if (String(self.id) !== id) throw anotherAgentForbidden();
  return { id, actingAs: undefined };
}
