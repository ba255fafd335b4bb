import type { FeedEvent, SessionsUpdate } from '../live/feed-events.js';
import { builder } from './builder.js';
import { actingAgent } from './acting-agent.js';
import { checkedLimit, limitArgument } from './limit-argument.js';
import { RealtimeSessionRef } from './refs.js';

export const RequestedSessionsUpdateRef = builder
  .objectRef<SessionsUpdate>('RequestedSessionsUpdate')
  .implement({
    description: 'A change in the realtime sessions requested of the agent.',
    fields: (t) => ({
      sessions: t.field({
        type: [RealtimeSessionRef],
        description: 'The whole current list, as `requestedSessions(limit)` would return it now.',
        resolve: (update) => update.sessions,
      }),
      added: t.field({
        type: [RealtimeSessionRef],
        description: 'Sessions in the list that were not in the previous event (all of them in the first).',
        resolve: (update) => update.added,
      }),
      updated: t.field({
        type: [RealtimeSessionRef],
        description:
          'Sessions still in the list that changed since the previous event (status, timestamps, meta…).',
        resolve: (update) => update.updated,
      }),
      removedIds: t.idList({
        description: 'Ids of the sessions that left the list since the previous event.',
        resolve: (update) => update.removedIds,
      }),
    }),
  });

builder.subscriptionType({
  description: 'Live updates, over Server-Sent Events or WebSocket (graphql-ws).',
});

builder.subscriptionField('requestedSessionsChanged', (t) =>
  t.field({
    type: RequestedSessionsUpdateRef,
    nullable: true,
    description: [
      'The realtime sessions requested of the agent (`agentId`), or of the whole host (a host key',
      'without `agentId`), pushed as they change. The gateway polls AgentMC once per interval for',
      'all subscribers of one key, agent (or host) and limit, and sends an event only',
      'when the list changed; the first event is the current list. A failed poll arrives as an event',
      'with `errors` (the codes of `requestedSessions`) and the stream goes on; UNAUTHENTICATED or',
      'FORBIDDEN end it. TOO_MANY_SUBSCRIPTIONS refuses a subscription past the limits.',
    ].join('\n'),
    args: {
      limit: t.arg.int(limitArgument),
      agentId: t.arg.id({
        required: false,
        description:
          "With a host key: the agent whose list to follow (X-Agent-Id); without it, the whole host's. With an agent key: optional, and must be the key's own agent.",
      }),
    },
    subscribe: async (_root, args, context) => {
      const caller = context.credential.caller();
      const limit = checkedLimit(args.limit);
      const agent =
        args.agentId === null || args.agentId === undefined
          ? undefined
          : await actingAgent(context, args.agentId, 'agentId');
      return context.feeds.subscribe(caller, { agentId: agent?.actingAs, limit });
    },
    resolve: (event: FeedEvent) => {
      if (event.kind === 'error') throw event.error;
      return event;
    },
  }),
);
