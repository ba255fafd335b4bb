import { beforeAll, describe, expect, it } from 'vitest';
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
