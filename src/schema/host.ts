import { notOfferedByUpstream } from '../errors.js';
import { builder } from './builder.js';
import { checkedLimit, limitArgument } from './limit-argument.js';
import { RealtimeSessionRef } from './refs.js';
import { requestedSessionsDescription } from './requested-sessions-field.js';

/** The host a host key belongs to: nothing to know of it up front but that the key is its. */
interface KeyHost {
  readonly kind: 'host';
}
const keyHost: KeyHost = Object.freeze({ kind: 'host' });

const HostRef = builder.objectRef<KeyHost>('Host').implement({
  description:
    'The AgentMC host a host key (cc_…) belongs to, with all of its agents: the hosts generation of the AgentMC API only.',
  fields: (t) => ({
    requestedSessions: t.field({
      type: [RealtimeSessionRef],
      description: requestedSessionsDescription(
        'of every agent of the host, for recovery: requested ones, and also claimed and active ones',
        'GET /hosts/realtime/sessions/requested without X-Agent-Id',
      ),
      args: { limit: t.arg.int(limitArgument) },
      resolve: (_host, args, context) =>
        context.loaders.requestedSessions.load({ agentId: undefined, limit: checkedLimit(args.limit) }),
    }),
  }),
});

builder.queryField('host', (t) =>
  t.field({
    type: HostRef,
    nullable: true,
    description:
      "The host of the request's host key (cc_…). Null with NOT_OFFERED_BY_UPSTREAM when the AgentMC API speaks the agents generation, which has no host-wide operations; UNAUTHENTICATED without a valid key.",
    resolve: async (_root, _args, context) => {
      context.credential.caller();
      const generation = await context.loaders.generation();
      if (generation !== 'hosts') throw notOfferedByUpstream('`host`', generation);
      return keyHost;
    },
  }),
);
