import { createHmac } from 'node:crypto';
import { socketSignatureSubject } from '../agentmc-wire.js';

/** The demo's Reverb/Pusher app: the key its socket blocks name, and the secret it signs with. */
export const DEMO_SOCKET_APP = { key: 'demo-app-key', secret: 'demo-app-secret' } as const;

/**
 * A Pusher private-channel signature, as AgentMC's socket auth answers it:
 * `"<app key>:<hex HMAC-SHA256 of "<socket_id>:<channel_name>" with the app secret>"`.
 */
export function socketSignature(
  socketId: string,
  channelName: string,
  app: { key: string; secret: string } = DEMO_SOCKET_APP,
): string {
  const digest = createHmac('sha256', app.secret)
    .update(socketSignatureSubject(socketId, channelName))
    .digest('hex');
  return `${app.key}:${digest}`;
}
