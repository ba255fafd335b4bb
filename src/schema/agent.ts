import { requireApiKey } from '../credentials.js';
import { argumentOutOfRange } from '../errors.js';
import { REQUESTED_SESSIONS_LIMIT } from '../upstream/client.js';
import { builder } from './builder.js';
import { RealtimeSessionRef } from './realtime-session.js';

/** The agent is whoever the request's key authenticates; it needs no data of its own yet. */
export interface AuthenticatedAgent {
  readonly authenticated: true;
}
const authenticatedAgent: AuthenticatedAgent = Object.freeze({ authenticated: true });

const { min, max, default: defaultLimit } = REQUESTED_SESSIONS_LIMIT;

export const AgentRef = builder.objectRef<AuthenticatedAgent>('Agent').implement({
  description: 'An AgentMC automation agent, as authenticated by the API key of the request.',
  fields: (t) => ({
    requestedSessions: t.field({
      type: [RealtimeSessionRef],
      description: [
        'Realtime sessions that browsers have asked this agent to join',
        '(`GET /agents/realtime/sessions/requested`).',
        '',
        'Errors (`extensions.code`): UNAUTHENTICATED (no, malformed or rejected key),',
        `FORBIDDEN, NOT_FOUND, CONFLICT, BAD_USER_INPUT (limit outside ${min}..${max}, or`,
        'rejected by the API, with `fields`), RATE_LIMITED (with `retryAfter` seconds),',
        'UPSTREAM_REJECTED (another 4xx), UPSTREAM_UNAVAILABLE (5xx or unreachable),',
        'UPSTREAM_TIMEOUT, UPSTREAM_BAD_RESPONSE. When the API answered, `extensions.upstream`',
        'holds its `status`, `code`, `message` and `requestId`.',
      ].join('\n'),
      args: {
        limit: t.arg.int({
          defaultValue: defaultLimit,
          description: `Maximum number of sessions to return, ${min} to ${max}. Null means the default, ${defaultLimit}.`,
        }),
      },
      resolve: (_agent, args, context) => {
        const limit = args.limit ?? defaultLimit;
        if (limit < min || limit > max) throw argumentOutOfRange('limit', limit, min, max);
        return context.loaders.requestedSessions.load(limit);
      },
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
      requireApiKey(context.credential);
      return authenticatedAgent;
    },
  }),
);
