import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { parse, validate } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { TYPED_CLIENT_DIR } from '../codegen.js';
import {
  AgentIdDocument,
  RequestedSessionsDocument,
  type RealtimeSessionStatus,
} from '../examples/generated/graphql.js';
import { schema } from '../src/schema/index.js';
import { useGateway } from './support/harness.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const generatedDir = join(root, TYPED_CLIENT_DIR);
const manifest = JSON.parse(readFileSync(join(generatedDir, 'persisted-documents.json'), 'utf8')) as Record<
  string,
  string
>;
const hashOf = (document: object) => (document as { __meta__?: { hash?: string } }).__meta__?.hash;

const apiKey = 'mca_typed_client_example';
const harness = useGateway();

/** Runs the example client as `npm run example` does, against `url`. */
function runExample(url: URL, ...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'examples/requested-sessions.ts', ...args], {
    cwd: root,
    env: { ...process.env, GATEWAY_URL: url.href, AGENTMC_API_KEY: apiKey },
  });
}

describe(`${TYPED_CLIENT_DIR} (client preset)`, () => {
  it('is exactly what `npm run codegen` generates now (run it and commit the files)', async () => {
    // The real CLI, the real config, only the output directory moved to a temporary one.
    const out = mkdtempSync(join(tmpdir(), 'typed-client-'));
    try {
      const wrapper = join(out, 'codegen.ts');
      writeFileSync(
        wrapper,
        [
          `import config, { TYPED_CLIENT_DIR } from ${JSON.stringify(pathToFileURL(join(root, 'codegen.ts')).href)};`,
          `export default { schema: config.schema, generates: { ${JSON.stringify(`${out}/generated/`)}: (config.generates as Record<string, unknown>)[TYPED_CLIENT_DIR] } };`,
        ].join('\n'),
      );
      const cli = join(root, 'node_modules/@graphql-codegen/cli/esm/bin.js');
      await run(process.execPath, ['--import', 'tsx', cli, '--config', wrapper, '--silent'], { cwd: root });

      const generated = readdirSync(join(out, 'generated')).sort();
      expect(generated).toContain('persisted-documents.json');
      expect(readdirSync(generatedDir).sort()).toEqual(generated);
      for (const file of generated) {
        expect(readFileSync(join(generatedDir, file), 'utf8'), file).toBe(
          readFileSync(join(out, 'generated', file), 'utf8'),
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('persists every operation under the plain hex SHA-256 of its text, valid against the schema', () => {
    expect(Object.keys(manifest).sort()).toEqual(
      [hashOf(AgentIdDocument), hashOf(RequestedSessionsDocument)].sort(),
    );
    for (const [hash, document] of Object.entries(manifest)) {
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(createHash('sha256').update(document).digest('hex')).toBe(hash);
      expect(validate(schema, parse(document))).toEqual([]);
    }
  });
});

describe('the generated types', () => {
  /** A small typed client function: its types come from the document alone. */
  async function firstSession(client: GraphQLClient) {
    const data = await client.request(RequestedSessionsDocument, { limit: 1 });
    return data.agent?.requestedSessions[0];
  }

  type Session = NonNullable<
    ResultOf<typeof RequestedSessionsDocument>['agent']
  >['requestedSessions'][number];

  it('line up with the schema (`npx tsc -p .` fails when they drift) and with what the gateway answers', async () => {
    expectTypeOf<Session['id']>().toEqualTypeOf<string>();
    expectTypeOf<Session['status']>().toEqualTypeOf<RealtimeSessionStatus>();
    expectTypeOf<RealtimeSessionStatus>().toEqualTypeOf<
      'REQUESTED' | 'CLAIMED' | 'ACTIVE' | 'CLOSED' | 'FAILED' | 'EXPIRED' | 'UNKNOWN'
    >();
    expectTypeOf<Session['requestedByUserId']>().toEqualTypeOf<string | null>();
    expectTypeOf<Session['expiresAt']>().toEqualTypeOf<string | null>();
    expectTypeOf<Session['meta']>().toEqualTypeOf<Record<string, unknown> | null>();
    expectTypeOf<NonNullable<Session['socket']>['connection']['port']>().toEqualTypeOf<number>();
    expectTypeOf<VariablesOf<typeof RequestedSessionsDocument>>().toEqualTypeOf<{
      limit?: number | null | undefined;
    }>();
    expectTypeOf(firstSession).returns.resolves.toEqualTypeOf<Session | undefined>();
    expectTypeOf<ResultOf<typeof AgentIdDocument>>().toEqualTypeOf<{ agent: { id: string } | null }>();

    const client = new GraphQLClient(harness.gateway.url.href, { headers: { 'X-Api-Key': apiKey } });
    // @ts-expect-error `limit` is an Int
    await expect(client.request(RequestedSessionsDocument, { limit: '1' })).rejects.toThrow(/Int/);

    const session = await firstSession(client);
    expect(session?.id).toBe('501');
    expect(session?.status).toBe('REQUESTED');
    expect(session?.meta).toEqual({ page: '/dashboard', nested: { tabs: [1, 2] }, flag: true });
    expect(session?.socket?.connection.port).toBe(6001);
  });
});

describe('examples/requested-sessions.ts against the gateway', () => {
  it('prints the sessions of the agent, sending AGENTMC_API_KEY as X-Api-Key', async () => {
    const { stdout } = await runExample(harness.gateway.url);

    expect(stdout).toContain('2 requested session(s):');
    expect(stdout).toMatch(
      /#501 REQUESTED requested by user 9001, .*wss:\/\/ws\.example\.test:6001 private-realtime-session\.501/,
    );
    expect(stdout).toMatch(/#502 EXPIRED requested by the system, expires never, no socket/);
    expect(harness.upstream.requests.map((request) => request.query.get('limit'))).toEqual(['5']);
    expect(harness.upstream.requests.map((request) => request.headers['x-api-key'])).toEqual([apiKey]);
  }, 30_000);

  describe('with --persisted', () => {
    /**
     * Stands in for a gateway with persisted documents: records each body, then runs the manifest's
     * document for the hash on the real gateway (404 for an unknown hash).
     */
    const bodies: Record<string, unknown>[] = [];
    let proxy: ReturnType<typeof createServer>;
    let proxyUrl: URL;
    beforeAll(async () => {
      proxy = createServer(async (request, response) => {
        let text = '';
        for await (const chunk of request) text += chunk;
        const body = JSON.parse(text) as {
          variables?: Record<string, unknown>;
          extensions?: { persistedQuery?: { sha256Hash?: string } };
        };
        bodies.push(body);
        const document = manifest[body.extensions?.persistedQuery?.sha256Hash ?? ''];
        if (document === undefined) return void response.writeHead(404).end();
        const answer = await harness.gateway.query(document, {
          variables: body.variables,
          headers: { 'X-Api-Key': String(request.headers['x-api-key']) },
        });
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.text);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyUrl = new URL(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`);
    });
    afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

    it('sends the hash from persisted-documents.json instead of the query text', async () => {
      const { stdout } = await runExample(proxyUrl, '--persisted');

      expect(bodies).toEqual([
        {
          operationName: 'RequestedSessions',
          variables: { limit: 5 },
          extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(RequestedSessionsDocument) } },
        },
      ]);
      expect(stdout).toContain('2 requested session(s) (persisted document):');
      expect(stdout).toContain('#501 REQUESTED');
      expect(harness.upstream.requests.map((request) => request.headers['x-api-key'])).toEqual([apiKey]);
    }, 30_000);
  });
});
