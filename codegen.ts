import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';

/** Where the typed client documents of `examples/` are generated (the client preset wants the trailing slash). */
export const TYPED_CLIENT_DIR = 'examples/generated/';

/**
 * The typed documents of `examples/operations/*.graphql`: a `TypedDocumentNode` per operation in
 * `graphql.ts`, and `persisted-documents.json`, the manifest of every operation by the plain
 * lowercase hex SHA-256 of its text, the `extensions.persistedQuery.sha256Hash` clients send.
 */
export const typedClient = {
  documents: 'examples/operations/*.graphql',
  preset: 'client',
  presetConfig: {
    fragmentMasking: false,
    persistedDocuments: {
      mode: 'embedHashInDocument',
      // Without a prefix (the preset's 'sha256' would write `sha256:<hex>`): what Yoga's persisted
      // operations plugin reads from `extensions.persistedQuery.sha256Hash` by default.
      hashAlgorithm: (document: string) => createHash('sha256').update(document).digest('hex'),
    },
  },
  config: {
    // Both arrive as JSON: a timestamp string and a plain object. (`_Any` is federation's, for
    // `_entities`; strict scalars want every scalar named.)
    scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>', JSON: 'unknown', _Any: 'unknown' },
    strictScalars: true,
    useTypeImports: true,
    importExtension: '.js',
  },
} satisfies NonNullable<CodegenConfig['generates']>[string];

/**
 * Prints the Pothos schema to two committed files: `schema.graphql`, the executable schema as
 * clients see it (with its federation directives), and `subgraph.graphql`, the subgraph SDL
 * that composition takes; and generates the typed client documents of `examples/`.
 */
const config: CodegenConfig = {
  schema: './src/schema/index.ts',
  generates: {
    'schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true },
    },
    'subgraph.graphql': {
      plugins: ['./codegen/subgraph-sdl.ts'],
    },
    [TYPED_CLIENT_DIR]: typedClient,
  },
};

export default config;
