import { CLOSE_STATUSES } from '../agentmc-wire.js';
import type { GatewayContext } from '../context.js';
import { claimedByAnother, ErrorCode, GatewayError, notOfferedByUpstream } from '../errors.js';
import type { RealtimeSession } from '../upstream/models.js';
import { ROUTES } from '../upstream/routes.js';
import { actingAgent } from './acting-agent.js';
import { builder } from './builder.js';
import {
  checkedChannelName,
  checkedId,
  checkedOwnerToken,
  checkedPayload,
  checkedReason,
  checkedSignalType,
  checkedSocketId,
} from './lifecycle-arguments.js';
import { RealtimeSessionRef, RealtimeSignalRef } from './refs.js';

/*
 * The session lifecycle's mutations. Each reaches AgentMC at most once: never retried once it may
 * have been sent, never shared, never following a redirect (see `AgentMcClient#call`).
 */

const RealtimeCloseStatusEnum = builder.enumType('RealtimeCloseStatus', {
  description: 'How a session ends.',
  values: {
    CLOSED: { value: 'closed', description: 'Normally.' },
    FAILED: { value: 'failed', description: 'With an error (for example a stale claim given up).' },
  } satisfies Record<string, { value: (typeof CLOSE_STATUSES)[number]; description: string }>,
});

builder.mutationType({
  description: 'The realtime session lifecycle: claim, signal, authorise the socket, close.',
});

/** What every mutation's description says of failures, and what to do when the outcome is unknown. */
const atMostOnce = [
  '',
  'Sent to AgentMC at most once: never retried once it may have been sent. A deadline or a reset after',
  'sending is UPSTREAM_TIMEOUT or UPSTREAM_UNAVAILABLE with `extensions.outcome: "UNKNOWN"`: it may have',
  'taken effect, so read the session (or its signals, `Agent.realtimeSignals`) before trying again.',
  'Other errors (`extensions.code`): BAD_USER_INPUT (arguments, checked before any call, with',
  '`argumentName`; or rejected by the API, with `fields`), UNAUTHENTICATED, FORBIDDEN, NOT_FOUND,',
  'CONFLICT, RATE_LIMITED (with `retryAfter`), UPSTREAM_REJECTED, UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT,',
  'UPSTREAM_BAD_RESPONSE.',
].join('\n');

const agentIdDescription =
  "With a host key: the agent to act as (sent as X-Agent-Id). With an agent key: optional, and must be the key's own agent.";

/** The `X-Agent-Id` of a mutation: hosts generation only; with an agent key, checked to be its own. */
async function actingAs(
  context: GatewayContext,
  agentId: string | null | undefined,
): Promise<string | undefined> {
  context.credential.caller();
  if (agentId === null || agentId === undefined) return undefined;
  return (await actingAgent(context, agentId, 'agentId')).actingAs;
}

builder.mutationField('claimRealtimeSession', (t) =>
  t.field({
    type: RealtimeSessionRef,
    description: [
      'Claims a requested session for the agent (`POST .../sessions/{session}/claim`).',
      '`ownerToken` names the claimer (keep it across restarts): required on the hosts generation, where it',
      'goes upstream; not sent on the agents generation. Idempotent per owner token: when AgentMC answers 409',
      "and the session's `meta.claim_owner_token` is this `ownerToken`, the claim is already yours and the",
      'session is returned; otherwise CONFLICT with `extensions.sessionStatus`.',
      atMostOnce,
    ].join('\n'),
    args: {
      sessionId: t.arg.id({ required: true, description: 'The session to claim.' }),
      ownerToken: t.arg.string({
        description: '16 to 128 of a-z, 0-9, ":", "_" and "-". Required with a host key.',
      }),
      agentId: t.arg.id({ description: agentIdDescription }),
    },
    resolve: async (_root, args, context) => {
      const sessionId = checkedId(args.sessionId, 'sessionId');
      const ownerToken =
        args.ownerToken === null || args.ownerToken === undefined
          ? undefined
          : checkedOwnerToken(args.ownerToken);
      const agentId = await actingAs(context, args.agentId);
      const generation = await context.loaders.generation();
      if (generation === 'hosts' && ownerToken === undefined) {
        throw new GatewayError(
          'Argument "ownerToken" is required by the hosts generation of the AgentMC API: pass a token of 16 to 128 of a-z, 0-9, ":", "_" and "-" that your runtime keeps across restarts.',
          { code: ErrorCode.BAD_USER_INPUT, argumentName: 'ownerToken' },
        );
      }
      const caller = context.credential.caller();
      try {
        return await context.upstream.call(
          caller,
          ROUTES.claimAgentRealtimeSession,
          { sessionId, ownerToken },
          agentId,
        );
      } catch (error) {
        if (!(error instanceof GatewayError) || error.code !== ErrorCode.CONFLICT || ownerToken === undefined)
          throw error;
        // As the AgentMC SDK does: a 409 may be our own earlier claim (a retry after a lost answer).
        const { session } = await context.upstream.call(
          caller,
          ROUTES.listAgentRealtimeSignals,
          { sessionId, afterId: undefined, limit: 1, excludeSender: undefined },
          agentId,
        );
        if (claimOwnerToken(session) === ownerToken) return session;
        throw claimedByAnother(error, session.status === 'unknown' ? session.upstreamStatus : session.status);
      }
    },
  }),
);

function claimOwnerToken(session: RealtimeSession): unknown {
  return session.meta?.['claim_owner_token'];
}

builder.mutationField('sendRealtimeSignal', (t) =>
  t.field({
    type: RealtimeSignalRef,
    description: [
      "Sends a signal to the session's browser (`POST .../sessions/{session}/signals`); the answer's",
      '`session` is the signal\'s `session`. Use `type: "message"` for chat and files traffic. `payload` is',
      'null, an object or an array of objects, at most REALTIME_MAX_PAYLOAD_BYTES serialised (48 KiB by',
      'default): larger payloads are refused, never split; send several signals.',
      atMostOnce,
    ].join('\n'),
    args: {
      sessionId: t.arg.id({ required: true, description: 'The session.' }),
      type: t.arg.string({ required: true, description: '1 to 64 of a-z, 0-9, "_", ".", ":" and "-".' }),
      payload: t.arg({ type: 'JSON', description: 'Null, an object or an array of objects.' }),
      agentId: t.arg.id({ description: agentIdDescription }),
    },
    resolve: async (_root, args, context) => {
      const sessionId = checkedId(args.sessionId, 'sessionId');
      const type = checkedSignalType(args.type);
      const payload = checkedPayload(args.payload ?? null, context.limits.maxPayloadBytes);
      const agentId = await actingAs(context, args.agentId);
      return context.upstream.call(
        context.credential.caller(),
        ROUTES.createAgentRealtimeSignal,
        { sessionId, type, payload },
        agentId,
      );
    },
  }),
);

builder.mutationField('closeRealtimeSession', (t) =>
  t.field({
    type: RealtimeSessionRef,
    description: [
      'Ends a session (`POST .../sessions/{session}/close`), as CLOSED (the default) or FAILED, with an',
      'optional `reason` (at most 500 characters) and `payload` (as for `sendRealtimeSignal`).',
      atMostOnce,
    ].join('\n'),
    args: {
      sessionId: t.arg.id({ required: true, description: 'The session.' }),
      status: t.arg({
        type: RealtimeCloseStatusEnum,
        description: "How it ends; AgentMC's default when null.",
      }),
      reason: t.arg.string({ description: 'Why, at most 500 characters.' }),
      payload: t.arg({ type: 'JSON', description: 'Null, an object or an array of objects.' }),
      agentId: t.arg.id({ description: agentIdDescription }),
    },
    resolve: async (_root, args, context) => {
      const sessionId = checkedId(args.sessionId, 'sessionId');
      const reason =
        args.reason === null || args.reason === undefined ? undefined : checkedReason(args.reason);
      // An explicit null payload is sent as null; an absent one is not sent.
      const payload =
        args.payload === undefined ? undefined : checkedPayload(args.payload, context.limits.maxPayloadBytes);
      const agentId = await actingAs(context, args.agentId);
      return context.upstream.call(
        context.credential.caller(),
        ROUTES.closeAgentRealtimeSession,
        { sessionId, status: args.status ?? undefined, reason, payload },
        agentId,
      );
    },
  }),
);

builder.mutationField('authorizeRealtimeSocket', (t) =>
  t.field({
    type: 'String',
    description: [
      "Signs a subscription to the session's private channel (`POST .../sessions/{session}/socket-auth`):",
      'the Pusher `auth` string to hand to the socket client.',
      atMostOnce,
    ].join('\n'),
    args: {
      sessionId: t.arg.id({ required: true, description: 'The session.' }),
      socketId: t.arg.string({ required: true, description: 'The socket id, e.g. "123.456".' }),
      channelName: t.arg.string({
        required: true,
        description: 'The channel, e.g. "private-agent-realtime.7.42".',
      }),
      agentId: t.arg.id({ description: agentIdDescription }),
    },
    resolve: async (_root, args, context) => {
      const sessionId = checkedId(args.sessionId, 'sessionId');
      const socketId = checkedSocketId(args.socketId);
      const channelName = checkedChannelName(args.channelName);
      const agentId = await actingAs(context, args.agentId);
      const { auth } = await context.upstream.call(
        context.credential.caller(),
        ROUTES.authenticateAgentRealtimeSocket,
        { sessionId, socketId, channelName },
        agentId,
      );
      return auth;
    },
  }),
);

builder.mutationField('authorizeHostRealtimeSocket', (t) =>
  t.field({
    type: 'String',
    description: [
      'Signs a subscription to the host watch channel, which announces newly requested sessions of every',
      'agent of the host (`POST /hosts/realtime/socket-auth`): hosts generation only; NOT_OFFERED_BY_UPSTREAM',
      'on the agents generation.',
      atMostOnce,
    ].join('\n'),
    args: {
      socketId: t.arg.string({ required: true, description: 'The socket id, e.g. "123.456".' }),
      channelName: t.arg.string({
        required: true,
        description: 'The channel, e.g. "private-agent-realtime-host.12".',
      }),
    },
    resolve: async (_root, args, context) => {
      const socketId = checkedSocketId(args.socketId);
      const channelName = checkedChannelName(args.channelName);
      const caller = context.credential.caller();
      const generation = await context.loaders.generation();
      if (generation !== 'hosts') throw notOfferedByUpstream('`authorizeHostRealtimeSocket`', generation);
      const { auth } = await context.upstream.call(caller, ROUTES.authenticateHostRealtimeSocket, {
        socketId,
        channelName,
      });
      return auth;
    },
  }),
);
