import { GraphQLError, locatedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { maskError, upstreamUnreachable } from '../src/errors.js';
import { parseRetryAfter } from '../src/upstream/retry-after.js';

describe('maskError, the policy of what is safe to show', () => {
  it('shows an error raised on purpose, even wrapped by graphql-js with its cause', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    const located = locatedError(upstreamUnreachable(cause), undefined, ['agent', 'requestedSessions']);

    const shown = maskError(located, 'Unexpected error.') as GraphQLError;

    expect(shown).toBe(located);
    expect(shown.toJSON()).toEqual({
      message: 'The AgentMC API is unavailable. It could not be reached. Retry later.',
      path: ['agent', 'requestedSessions'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    });
  });

  it.each([
    ['a plain Error', new Error('Cannot read properties of undefined (reading "x") at /srv/app/src/x.ts:1')],
    ['a GraphQLError wrapping a bug', locatedError(new TypeError('boom /srv/app'), undefined, ['agent'])],
  ])('masks %s as INTERNAL_SERVER_ERROR without message, stack or cause', (_case, error) => {
    const shown = maskError(error, 'Unexpected error.') as GraphQLError;

    expect(shown.message).toBe('Unexpected error.');
    expect(shown.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', unexpected: true });
    expect(JSON.stringify(shown)).not.toMatch(/srv|boom|stack/);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');

  it.each([
    ['delay seconds', '120', 120],
    ['zero', '0', 0],
    ['an HTTP date ahead', 'Mon, 30 Nov 2026 12:01:30 GMT', 90],
    ['an HTTP date already past', 'Mon, 30 Nov 2026 11:00:00 GMT', 0],
    ['padding', ' 7 ', 7],
  ])('reads %s', (_case, header, seconds) => {
    expect(parseRetryAfter(header, now)).toBe(seconds);
  });

  it.each([
    ['absent', undefined],
    ['negative', '-5'],
    ['a fraction', '1.5'],
    ['words', 'soon'],
    ['a date without GMT', '2026-11-30T12:01:30Z'],
  ])('ignores %s', (_case, header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});
