import { describe, expect, it } from 'vitest';
import { useGateway } from './support/harness.js';

const headers = { 'x-api-key': 'mca_limit_tests' };
const WITH_VARIABLE = 'query Sessions($limit: Int) { agent { requestedSessions(limit: $limit) { id } } }';

const harness = useGateway();

describe('limit outside 1..100', () => {
  it.each([0, 101, -1, 1000])('%i is BAD_USER_INPUT naming the argument and the range', async (limit) => {
    for (const response of [
      await harness.gateway.query(`{ agent { requestedSessions(limit: ${limit}) { id } } }`, { headers }),
      await harness.gateway.query(WITH_VARIABLE, { variables: { limit }, headers }),
    ]) {
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({ agent: null });
      const [error] = response.body.errors ?? [];
      expect(error?.message).toBe(`Argument "limit" must be between 1 and 100; got ${limit}.`);
      expect(error?.path).toEqual(['agent', 'requestedSessions']);
      expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'limit', min: 1, max: 100 });
    }
    expect(harness.upstream.requests).toHaveLength(0);
  });
});

describe('limit that is not a 32-bit integer', () => {
  it('2^31 in the document fails validation with a code', async () => {
    const response = await harness.gateway.query(
      '{ agent { requestedSessions(limit: 2147483648) { id } } }',
      { headers },
    );

    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.message).toMatch(
      /Int cannot represent non 32-bit signed integer value: 2147483648/,
    );
    expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it.each([
    ['2^31', 2 ** 31],
    ['2^40', 2 ** 40],
    ['a string', '5'],
    ['a fraction', 1.5],
  ])('%s as a variable is BAD_USER_INPUT naming the variable', async (_case, limit) => {
    const response = await harness.gateway.query(WITH_VARIABLE, { variables: { limit }, headers });

    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.message).toMatch(/^Variable "\$limit" got invalid value/);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('a string in the document fails validation with a code', async () => {
    const response = await harness.gateway.query('{ agent { requestedSessions(limit: "5") { id } } }', {
      headers,
    });

    expect(response.body.errors?.[0]?.message).toMatch(/Int cannot represent non-integer value/);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(harness.upstream.requests).toHaveLength(0);
  });
});

describe('limit null or absent', () => {
  it('an explicit null, literal or variable, means the default 20', async () => {
    const literal = await harness.gateway.query('{ agent { requestedSessions(limit: null) { id } } }', {
      headers,
    });
    const variable = await harness.gateway.query(WITH_VARIABLE, { variables: { limit: null }, headers });
    const omittedVariable = await harness.gateway.query(WITH_VARIABLE, { headers });

    for (const response of [literal, variable, omittedVariable]) expect(response.body.errors).toBeUndefined();
    expect(harness.upstream.requests.map((r) => r.query.get('limit'))).toEqual(['20', '20', '20']);
  });
});
