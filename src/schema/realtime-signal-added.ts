import { FROM_START } from '../live/signal-pages.js';
import type { SignalEvent } from '../live/signals-feed.js';
import { actingAgent } from './acting-agent.js';
import { builder } from './builder.js';
import { checkedCursor, checkedId } from './lifecycle-arguments.js';
import { RealtimeSignalRef } from './refs.js';

builder.subscriptionField('realtimeSignalAdded', (t) =>
  t.field({
    type: RealtimeSignalRef,
    description: [
      'Every signal of the session `sessionId` with an id above `afterId` (all of them without it),',
      'in id order, each exactly once, pushed as AgentMC records them. The gateway polls the',
      "session's signals once for all subscribers of one key, agent and session (on every replica,",
      'with REDIS_URL): it reads full pages of 200 at once until it has them all, then asks again',
      'every LIVE_SIGNALS_POLL_INTERVAL_MS. A subscriber that joins later with an older `afterId`',
      'still receives every signal from there. The stream ends after the last signal of a session',
      'that is CLOSED, FAILED or EXPIRED.',
      'Errors: BAD_USER_INPUT (with `argumentName`) for an argument that is not an id, before any',
      'call; UNAUTHENTICATED, FORBIDDEN, NOT_FOUND (also a session that is gone), CONFLICT, or a',
      'request AgentMC rejects (BAD_USER_INPUT, UPSTREAM_REJECTED) end the stream with an event',
      'carrying the error; RATE_LIMITED, UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT',
      'or UPSTREAM_BAD_RESPONSE arrive as an event with `errors` while the gateway backs off',
      '(honouring Retry-After), and the stream goes on with the signals that follow.',
      'TOO_MANY_SUBSCRIPTIONS refuses a subscription past the limits.',
    ].join('\n'),
    args: {
      sessionId: t.arg.id({ required: true, description: 'The session whose signals to follow.' }),
      afterId: t.arg.id({
        required: false,
        description:
          'Only signals with a higher id (an integer of at least 0): the id of the last signal already seen. Null: every signal of the session.',
      }),
      agentId: t.arg.id({
        required: false,
        description:
          "With a host key: the agent the session belongs to (X-Agent-Id). With an agent key: optional, and must be the key's own agent.",
      }),
    },
    subscribe: async (_root, args, context) => {
      const caller = context.credential.caller();
      const sessionId = checkedId(String(args.sessionId), 'sessionId');
      const afterId = checkedCursor(
        args.afterId === null || args.afterId === undefined ? undefined : String(args.afterId),
        'afterId',
      );
      const agent =
        args.agentId === null || args.agentId === undefined
          ? undefined
          : await actingAgent(context, String(args.agentId), 'agentId');
      return context.signalFeeds.subscribe(caller, {
        sessionId,
        afterId: afterId ?? FROM_START,
        agentId: agent?.actingAs,
      });
    },
    resolve: (event: SignalEvent) => {
      if (event.kind === 'error') throw event.error;
      return event.signal;
    },
  }),
);
