import { anotherAgentForbidden } from '../errors.js';
import { builder } from './builder.js';
import { checkedLimit, limitArgument, limitRange } from './limit-argument.js';
import { AgentRef, RealtimeSessionRef, type AuthenticatedAgent } from './refs.js';

const authenticatedAgent: AuthenticatedAgent = Object.freeze({});

AgentRef.implement({
  description: 'An AgentMC automation agent, as authenticated by the API key of the request.',
  fields: (t) => ({
    id: t.id({
      description:
        'The agent id, as AgentMC knows it (read from `GET /agents/instructions` the first time a request asks for it).',
      resolve: async (agent, _args, context) =>
        agent.id ?? String((await context.loaders.agentIdentity()).id),
    }),
    requestedSessions: t.field({
      type: [RealtimeSessionRef],
      description: [
        'Realtime sessions that browsers have asked this agent to join',
        '(`GET /agents/realtime/sessions/requested`).',
        '',
        'Errors (`extensions.code`): UNAUTHENTICATED (no, malformed or rejected key),',
        `FORBIDDEN, NOT_FOUND, CONFLICT, BAD_USER_INPUT (limit outside ${limitRange}, or`,
        'rejected by the API, with `fields`), RATE_LIMITED (with `retryAfter` seconds),',
        'UPSTREAM_REJECTED (another 4xx), UPSTREAM_UNAVAILABLE (5xx or unreachable),',
        'UPSTREAM_TIMEOUT, UPSTREAM_BAD_RESPONSE. When the API answered, `extensions.upstream`',
        'holds its `status`, `code`, `message` and `requestId`.',
      ].join('\n'),
      args: { limit: t.arg.int(limitArgument) },
      resolve: (_agent, args, context) => context.loaders.requestedSessions.load(checkedLimit(args.limit)),
    }),
  }),
});

builder.queryField('agent', (t) =>
  t.field({
    type: AgentRef,
    nullable: true,
    description:
      'The agent that the API key of this request authenticates (header `X-Api-Key`, or `Authorization: Bearer <key>`). Null with an UNAUTHENTICATED error when no valid key is sent.',
    resolve: (_root, _args, context) => {
      context.credential.caller();
      return authenticatedAgent;
    },
  }),
);

builder.asEntity(AgentRef, {
  key: builder.selection<{ id: string }>('id'),
  // Another subgraph may name any agent id; only the key's own agent is ever served.
  resolveReference: async (reference, context) => {
    context.credential.caller();
    const self = await context.loaders.agentIdentity();
    if (String(self.id) !== reference.id) throw anotherAgentForbidden();
    return { id: reference.id };
  },
});
