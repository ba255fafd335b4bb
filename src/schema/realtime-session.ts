import type { RealtimeSocket, RealtimeSocketConnection, SessionStatus } from '../upstream/models.js';
import { builder } from './builder.js';
import { AgentRef, RealtimeSessionRef } from './refs.js';
import { TeamRef } from './team.js';
import { UserRef } from './user.js';

export const RealtimeSessionStatusEnum = builder.enumType('RealtimeSessionStatus', {
  description: 'Where a realtime session is in its lifecycle.',
  values: {
    REQUESTED: {
      value: 'requested',
      description: 'A browser asked the agent to join; nobody has claimed it yet.',
    },
    CLAIMED: { value: 'claimed', description: 'The agent claimed the session and is about to open it.' },
    ACTIVE: { value: 'active', description: 'The session is open and both sides are connected.' },
    CLOSED: { value: 'closed', description: 'The session ended normally.' },
    FAILED: { value: 'failed', description: 'The session ended with an error.' },
    EXPIRED: { value: 'expired', description: 'Nobody claimed or used the session before it expired.' },
    UNKNOWN: {
      value: 'unknown',
      description:
        'A status the AgentMC API added after this gateway was built. Read `upstreamStatus` for its name; the gateway logs a warning the first time it meets one.',
    },
  } satisfies Record<string, { value: SessionStatus; description: string }>,
});

const RealtimeSocketConnectionRef = builder
  .objectRef<RealtimeSocketConnection>('RealtimeSocketConnection')
  .implement({
    description: 'How to reach the realtime socket server (Pusher protocol).',
    fields: (t) => ({
      driver: t.exposeString('driver', {
        description: 'The broadcasting driver, e.g. `pusher` or `reverb`.',
      }),
      key: t.exposeString('key', { description: 'The public application key to connect with.' }),
      cluster: t.exposeString('cluster', { description: 'The cluster of the socket service.' }),
      host: t.exposeString('host', { description: 'Host name of the socket server.' }),
      port: t.exposeInt('port', { description: 'TCP port of the socket server.' }),
      scheme: t.exposeString('scheme', { description: 'URL scheme to connect with, e.g. `https`.' }),
      path: t.exposeString('path', { description: 'URL path prefix of the socket endpoint on the host.' }),
    }),
  });

const RealtimeSocketRef = builder.objectRef<RealtimeSocket>('RealtimeSocket').implement({
  description: 'Where and how the agent joins the session over a websocket.',
  fields: (t) => ({
    connection: t.field({
      type: RealtimeSocketConnectionRef,
      description: 'The socket server to connect to.',
      resolve: (socket) => socket.connection,
    }),
    channel: t.exposeString('channel', { description: 'The private channel of this session.' }),
    event: t.exposeString('event', { description: 'The event name that carries session messages.' }),
    authEndpoint: t.exposeString('authEndpoint', {
      description: 'The URL that authorises a subscription to the private channel.',
    }),
  }),
});

type TimestampField =
  | 'claimedAt'
  | 'openedAt'
  | 'closedAt'
  | 'expiresAt'
  | 'lastBrowserHeartbeatAt'
  | 'lastAgentHeartbeatAt'
  | 'createdAt'
  | 'updatedAt';

RealtimeSessionRef.implement({
  description: 'A realtime session between a browser user and an agent.',
  fields: (t) => {
    // Every timestamp is nullable upstream and normalised to UTC by the DateTime scalar.
    const timestamp = (name: TimestampField, description: string) =>
      t.expose(name, { type: 'DateTime', nullable: true, description });
    return {
      id: t.exposeID('id', { description: 'Unique identifier of the session.' }),
      teamId: t.exposeID('teamId', { description: 'The team that owns the session.' }),
      agentId: t.exposeID('agentId', { description: 'The agent asked to join the session.' }),
      requestedByUserId: t.exposeID('requestedByUserId', {
        nullable: true,
        description: 'The user who requested the session; null when the system requested it.',
      }),
      requestedBy: t.field({
        type: UserRef,
        nullable: true,
        description:
          'The user who requested the session, as a federation reference that a users subgraph resolves; null when the system requested it.',
        resolve: (session) =>
          session.requestedByUserId === null ? null : { id: String(session.requestedByUserId) },
      }),
      team: t.field({
        type: TeamRef,
        description: 'The team that owns the session, as a federation reference.',
        resolve: (session) => ({ id: String(session.teamId) }),
      }),
      agent: t.field({
        type: AgentRef,
        description: 'The agent asked to join the session (with a host key, its fields act as that agent).',
        // `actingAs` goes upstream only on the hosts generation, where the key is not the agent.
        resolve: (session) => ({ id: String(session.agentId), actingAs: String(session.agentId) }),
      }),
      status: t.expose('status', {
        type: RealtimeSessionStatusEnum,
        description: 'Current lifecycle status. UNKNOWN for a status this gateway does not know yet.',
      }),
      upstreamStatus: t.exposeString('upstreamStatus', {
        description:
          'The status exactly as the AgentMC API sent it (e.g. `requested`). Differs from `status` only when `status` is UNKNOWN.',
      }),
      claimedAt: timestamp('claimedAt', 'When the agent claimed the session.'),
      openedAt: timestamp('openedAt', 'When the session opened.'),
      closedAt: timestamp('closedAt', 'When the session closed.'),
      expiresAt: timestamp('expiresAt', 'When the session expires unless claimed or used.'),
      lastBrowserHeartbeatAt: timestamp(
        'lastBrowserHeartbeatAt',
        'The last heartbeat received from the browser.',
      ),
      lastAgentHeartbeatAt: timestamp('lastAgentHeartbeatAt', 'The last heartbeat received from the agent.'),
      meta: t.expose('meta', {
        type: 'JSONObject',
        nullable: true,
        description: 'Arbitrary metadata attached to the session.',
      }),
      socket: t.field({
        type: RealtimeSocketRef,
        nullable: true,
        description: 'Connection details for joining the session; null when the API sends none.',
        resolve: (session) => session.socket,
      }),
      createdAt: timestamp('createdAt', 'When the session was created.'),
      updatedAt: timestamp('updatedAt', 'When the session last changed.'),
    };
  },
});

builder.asEntity(RealtimeSessionRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (reference, context) => {
    context.credential.caller();
    return context.loaders.sessionById.load(reference.id);
  },
});
