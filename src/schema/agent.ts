import { anotherAgentForbidden } from '../errors.js';
import { actingAgent } from './acting-agent.js';
import { builder } from './builder.js';
import { checkedLimit, limitArgument } from './limit-argument.js';
import { AgentRef, RealtimeSessionRef } from './refs.js';
import { requestedSessionsDescription } from './requested-sessions-field.js';

AgentRef.implement({
  description:
    'An AgentMC automation agent: the one an agent key (mca_…) authenticates, or the one of its agents a host key (cc_…) acts as.',
  fields: (t) => ({
    id: t.id({
      description:
        'The agent id, as AgentMC knows it: the id the request named, or, for an agent key without one, read from `GET /agents/instructions` the first time a request asks for it.',
      resolve: async (agent, _args, context) =>
        agent.id ?? String((await context.loaders.agentIdentity()).id),
    }),
    requestedSessions: t.field({
      type: [RealtimeSessionRef],
      description: requestedSessionsDescription(
        'that browsers have asked this agent to join',
        'GET /hosts/realtime/sessions/requested with X-Agent-Id, or GET /agents/realtime/sessions/requested',
      ),
      args: { limit: t.arg.int(limitArgument) },
      resolve: (agent, args, context) =>
        context.loaders.requestedSessions.load({ agentId: agent.actingAs, limit: checkedLimit(args.limit) }),
    }),
  }),
});

builder.queryField('agent', (t) =>
  t.field({
    type: AgentRef,
    nullable: true,
    description: [
      'The agent this request acts as. With a host key (cc_…, the hosts generation of AgentMC), `id`',
      "names one of the host's agents and is required: it goes upstream as `X-Agent-Id`. With an agent",
      'key (mca_…, the agents generation) the key is the agent: `id` may be omitted and, when given, must',
      "be the key's own (FORBIDDEN otherwise). `id` must be a positive integer (BAD_USER_INPUT otherwise).",
      'Null with an UNAUTHENTICATED error when no valid key is sent (header `X-Api-Key`, or',
      '`Authorization: Bearer <key>`).',
    ].join('\n'),
    args: { id: t.arg.id({ required: false, description: 'The agent id: required with a host key.' }) },
    resolve: (_root, args, context) => actingAgent(context, args.id, 'id'),
  }),
);

builder.asEntity(AgentRef, {
  key: builder.selection<{ id: string }>('id'),
  // Another subgraph may name any agent id. With a host key AgentMC is asked as that agent (its
  // 403 is FORBIDDEN); with an agent key only the key's own agent is ever served.
  resolveReference: async (reference, context) => {
    const agent = await actingAgent(context, reference.id, 'id');
    if (agent.actingAs !== undefined) {
      await context.loaders.requestedSessions.load({ agentId: agent.actingAs, limit: 1 });
    } else if (agent.id !== reference.id) {
      throw anotherAgentForbidden();
    }
    return agent;
  },
});
