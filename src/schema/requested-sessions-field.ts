import { limitRange } from './limit-argument.js';

/*
 * What `Agent.requestedSessions` and `Host.requestedSessions` say of themselves: one list of the
 * error codes they can raise, so the two fields (and the subscription that points at them) agree.
 */

export function requestedSessionsDescription(subject: string, route: string): string {
  return [
    `Realtime sessions ${subject}`,
    `(\`${route}\`).`,
    '',
    'Errors (`extensions.code`): UNAUTHENTICATED (no, malformed or rejected key),',
    'FORBIDDEN (e.g. an agent not on the host of the key), NOT_FOUND (404 or 410), CONFLICT,',
    `BAD_USER_INPUT (limit outside ${limitRange}, or rejected by the API, with \`fields\`),`,
    'RATE_LIMITED (with `retryAfter` seconds), UPSTREAM_REJECTED (another 4xx),',
    'UPSTREAM_UNAVAILABLE (5xx or unreachable), UPSTREAM_TIMEOUT, UPSTREAM_BAD_RESPONSE.',
    'When the API answered, `extensions.upstream` holds its `status`, `code`, `message` and `requestId`.',
  ].join('\n');
}
