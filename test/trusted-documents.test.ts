import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useGateway } from './support/harness.js';

const manifestPath = new URL('../examples/generated/persisted-documents.json', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>;
const hashOf = (operationName: string) =>
  Object.entries(manifest).find(([, text]) => text.includes(`query ${operationName}`))?.[0] ?? '';

const headers = {
  'content-type': 'application/json',
  accept: 'application/json',
  'x-api-key': 'mca_trusted',
};

describe('TRUSTED_DOCUMENTS: only the documents of the manifest run', () => {
  const harness = useGateway({ TRUSTED_DOCUMENTS: manifestPath });
  const post = (body: unknown) =>
    fetch(harness.gateway.url, { method: 'POST', headers, body: JSON.stringify(body) }).then(
      async (response) => ({
        status: response.status,
        body: (await response.json()) as {
          data?: unknown;
          errors?: { message: string; extensions?: { code?: string } }[];
        },
      }),
    );

  it('runs a manifest document named by its hash', async () => {
    const { body } = await post({
      operationName: 'RequestedSessions',
      variables: { limit: 2 },
      extensions: { persistedQuery: { version: 1, sha256Hash: hashOf('RequestedSessions') } },
    });

    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ agent: { requestedSessions: [{ id: '501' }, { id: '502' }] } });
    expect(harness.upstream.requests[0]?.query.get('limit')).toBe('2');
  });

  it('refuses any other document before it reaches the upstream', async () => {
    const { body } = await post({ query: '{ agent { requestedSessions { id } } }' });

    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/Only trusted documents can run here/);
    expect(body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('refuses a mutation that is not in the manifest, and posts nothing', async () => {
    const { body } = await post({
      query: 'mutation { sendRealtimeSignal(sessionId: "1", type: "message") { id } }',
    });

    expect(body.data).toBeUndefined();
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('refuses an unknown hash', async () => {
    const { body } = await post({
      extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
    });

    expect(body.errors?.[0]?.message).toMatch(/Unknown document hash/);
    expect(body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(harness.upstream.requests).toHaveLength(0);
  });
});
