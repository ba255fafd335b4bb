import type { WireSignalSender } from '../agentmc-wire.js';
import type { RealtimeSignal, SignalSender } from '../upstream/models.js';
import { invalidArgument } from '../errors.js';
import { builder } from './builder.js';
import {
  checkedCursor,
  checkedId,
  checkedSignalsLimit,
  SIGNALS_PAGE_DEFAULT,
} from './lifecycle-arguments.js';
import { AgentRef, RealtimeSessionRef, RealtimeSignalRef } from './refs.js';

export const RealtimeSignalSenderEnum = builder.enumType('RealtimeSignalSender', {
  description: 'Who sent a signal.',
  values: {
    AGENT: { value: 'agent', description: "The agent (this gateway's caller, or another runtime of it)." },
    BROWSER: { value: 'browser', description: 'The browser user of the session.' },
    SYSTEM: { value: 'system', description: 'AgentMC itself.' },
    UNKNOWN: {
      value: 'unknown',
      description: 'A sender the AgentMC API added after this gateway was built: read `upstreamSender`.',
    },
  } satisfies Record<string, { value: SignalSender; description: string }>,
});

RealtimeSignalRef.implement({
  description: 'One signal of a realtime session: a message between the agent and the browser, in id order.',
  fields: (t) => ({
    id: t.exposeID('id', {
      description: 'Unique, increasing identifier of the signal: the cursor of `afterId`.',
    }),
    sessionId: t.exposeID('sessionId', { description: 'The session the signal belongs to.' }),
    agentId: t.exposeID('agentId', { description: 'The agent of the session.' }),
    teamId: t.exposeID('teamId', { description: 'The team that owns the session.' }),
    session: t.field({
      type: RealtimeSessionRef,
      description: 'The session, as the answer that carried this signal described it.',
      resolve: (signal) => signal.session,
    }),
    sender: t.expose('sender', { type: RealtimeSignalSenderEnum, description: 'Who sent it.' }),
    upstreamSender: t.exposeString('upstreamSender', {
      description: 'The sender exactly as AgentMC named it; differs from `sender` only when that is UNKNOWN.',
    }),
    type: t.exposeString('type', {
      description:
        "What kind of signal: `message` for chat and files traffic, or a type of the runtime's own.",
    }),
    payload: t.expose('payload', {
      type: 'JSON',
      nullable: true,
      description: "The signal's data: an object, an array of objects, or null.",
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true, description: 'When it was sent.' }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it last changed.',
    }),
  }),
});

interface SignalPage {
  signals: RealtimeSignal[];
  session: RealtimeSignal['session'];
  nextAfterId: string | null;
  hasMore: boolean;
}

const RealtimeSignalPageRef = builder.objectRef<SignalPage>('RealtimeSignalPage').implement({
  description: "One page of a session's signals, in id order, with the cursor of the next page.",
  fields: (t) => ({
    signals: t.field({
      type: [RealtimeSignalRef],
      description: 'The signals of this page (without those of `excludeSender`).',
      resolve: (page) => page.signals,
    }),
    session: t.field({
      type: RealtimeSessionRef,
      description: 'The session.',
      resolve: (page) => page.session,
    }),
    nextAfterId: t.id({
      nullable: true,
      description:
        'The `afterId` of the next page: the last signal AgentMC returned (excluded ones count), or the `afterId` given when it returned none.',
      resolve: (page) => page.nextAfterId,
    }),
    hasMore: t.boolean({
      description: 'Whether AgentMC returned a full page (`limit` rows): ask again with `nextAfterId`.',
      resolve: (page) => page.hasMore,
    }),
  }),
});

builder.objectField(AgentRef, 'realtimeSignals', (t) =>
  t.field({
    type: RealtimeSignalPageRef,
    description: [
      "The signals of one of this agent's sessions after `afterId`, in id order (`GET .../sessions/{session}/signals`).",
      'Also how one session is read: `limit: 1` returns its `session`.',
      '',
      'Errors (`extensions.code`): BAD_USER_INPUT (an id that is not a positive integer, `afterId` below 0,',
      '`limit` outside 1..200, `excludeSender: UNKNOWN`, or rejected by the API with `fields`), UNAUTHENTICATED,',
      'FORBIDDEN, NOT_FOUND (404 or 410), CONFLICT, RATE_LIMITED, UPSTREAM_REJECTED, UPSTREAM_UNAVAILABLE,',
      'UPSTREAM_TIMEOUT, UPSTREAM_BAD_RESPONSE.',
    ].join('\n'),
    args: {
      sessionId: t.arg.id({ required: true, description: 'The session (a positive integer).' }),
      afterId: t.arg.id({ description: 'Only signals with a greater id; null: from the first.' }),
      limit: t.arg.int({
        defaultValue: SIGNALS_PAGE_DEFAULT,
        description: `Rows per page, 1 to 200. Null means ${SIGNALS_PAGE_DEFAULT}.`,
      }),
      excludeSender: t.arg({
        type: RealtimeSignalSenderEnum,
        description:
          'Leave out the signals of one sender (typically AGENT, your own). Sent to AgentMC on the agents generation; applied by the gateway on the hosts generation, which dropped it, without breaking paging.',
      }),
    },
    resolve: async (agent, args, context) => {
      const sessionId = checkedId(args.sessionId, 'sessionId');
      const afterId = checkedCursor(args.afterId, 'afterId');
      const limit = checkedSignalsLimit(args.limit);
      const exclude = args.excludeSender ?? undefined;
      if (exclude === 'unknown') throw invalidArgument('excludeSender', 'must be AGENT, BROWSER or SYSTEM');
      const generation = await context.loaders.generation();
      const excludeSender = exclude as WireSignalSender | undefined;
      const list = await context.loaders.signals.load({
        sessionId,
        afterId,
        limit,
        excludeSender: generation === 'agents' ? excludeSender : undefined,
        agentId: agent.actingAs,
      });
      const last = list.signals.at(-1);
      return {
        signals:
          generation === 'hosts' && excludeSender !== undefined
            ? list.signals.filter((signal) => signal.upstreamSender !== excludeSender)
            : list.signals,
        session: list.session,
        nextAfterId: last === undefined ? (afterId ?? null) : last.id,
        hasMore: list.signals.length === limit,
      };
    },
  }),
);
