import type { SeedSignal } from './session-store.js';

/**
 * The history of the demo agent's active session (990): a short exchange between the browser,
 * the agent and the platform, so the signals list has something to page through before anyone
 * sends a signal.
 */
export function sampleSignals(now = Date.now()): SeedSignal[] {
  const at = (minutesFromNow: number) => new Date(now + minutesFromNow * 60_000).toISOString();
  return [
    {
      session_id: 990,
      sender: 'system',
      type: 'session.opened',
      payload: { channel: 'private-realtime-session.990' },
      created_at: at(-11),
    },
    {
      session_id: 990,
      sender: 'browser',
      type: 'message',
      payload: { type: 'chat.user', payload: { text: 'Can you walk me through this report?' } },
      created_at: at(-10.5),
    },
    {
      session_id: 990,
      sender: 'agent',
      type: 'message',
      payload: { type: 'chat.agent', payload: { text: 'Sure: revenue is up 12% on last quarter.' } },
      created_at: at(-10),
    },
  ];
}
