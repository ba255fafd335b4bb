import { Kind, parse, validate } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphiqlExample } from '../src/graphiql-example.js';
import { schema } from '../src/schema/index.js';
import { useGateway } from './support/harness.js';

const harness = useGateway();
let html: string;
let status: number;

beforeAll(async () => {
  const response = await fetch(harness.gateway.url, { headers: { accept: 'text/html' } });
  status = response.status;
  html = await response.text();
});

describe('GraphiQL at /graphql', () => {
  it('is served to a browser', () => {
    expect(status).toBe(200);
    expect(html).toMatch(/^\s*<!doctype html>/i);
    expect(html).toContain('renderYogaGraphiQL');
  });

  it('loads no script, style or font from another host: its assets are inlined by the gateway', () => {
    const external = [...html.matchAll(/<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)]
      .map((match) => match[1] ?? '')
      .filter((url) => /^(?:https?:)?\/\//i.test(url));
    expect(external).toEqual([]);
    expect(html).not.toMatch(/unpkg\.com|cdn\.jsdelivr\.net|esm\.sh/);
    // The GraphiQL bundle itself is in the page.
    expect(html.length).toBeGreaterThan(500_000);
  });

  it('opens with the requested-sessions query, its variables and an X-Api-Key header template', () => {
    expect(html).toContain('query RequestedSessions($limit: Int)');
    expect(html).toContain('requestedSessions(limit: $limit)');
    expect(html).toMatch(/\\"limit\\": 20|"limit": 20/);
    expect(html).toMatch(/X-Api-Key\\?": \\?"mca_your_agent_key/);
  });
});

describe("GraphiQL's default document", () => {
  const operations = (generation: 'agents' | 'hosts') =>
    parse(graphiqlExample(generation).query).definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION
        ? [`${definition.operation} ${definition.name?.value}`]
        : [],
    );

  it.each(['agents', 'hosts'] as const)(
    'walks one session through its lifecycle in the %s generation, RequestedSessions first',
    (generation) => {
      expect(operations(generation)).toEqual([
        'query RequestedSessions',
        'mutation ClaimSession',
        'subscription LiveSignals',
        'mutation SendSignal',
        'query Signals',
        'mutation CloseSession',
      ]);
      // Its opening comment says the order to run them in.
      const { query } = graphiqlExample(generation);
      const order = [
        'RequestedSessions',
        'ClaimSession',
        'LiveSignals',
        'SendSignal',
        'Signals',
        'CloseSession',
      ];
      const listed = order.map((name) => query.indexOf(`. ${name} `));
      expect(listed.every((at) => at > 0)).toBe(true);
      expect([...listed].sort((a, b) => a - b)).toEqual(listed);
      expect(listed.at(-1)).toBeLessThan(query.indexOf('query RequestedSessions'));
    },
  );

  it.each(['agents', 'hosts'] as const)('is valid against the schema in the %s generation', (generation) => {
    expect(validate(schema, parse(graphiqlExample(generation).query)).map((error) => error.message)).toEqual(
      [],
    );
  });

  it("carries the demo's variables: agent 42's session 1001, and on the hosts generation an owner token", () => {
    expect(JSON.parse(graphiqlExample('hosts').variables)).toMatchObject({
      agentId: '42',
      limit: 20,
      sessionId: '1001',
      ownerToken: 'demo-owner-token-0001',
      type: 'message',
    });
    const agents = JSON.parse(graphiqlExample('agents').variables) as Record<string, unknown>;
    expect(agents).toMatchObject({ limit: 20, sessionId: '1001', type: 'message' });
    expect(agents).not.toHaveProperty('ownerToken');
    expect(agents).not.toHaveProperty('agentId');
  });

  it('is the one the page opens with, the lifecycle included', () => {
    expect(html).toContain('mutation ClaimSession($sessionId: ID!)');
    expect(html).toContain('subscription LiveSignals($sessionId: ID!)');
    expect(html).toMatch(/\\"sessionId\\": \\"1001\\"|"sessionId": "1001"/);
  });
});
