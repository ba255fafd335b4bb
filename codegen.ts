import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Prints the Pothos schema to two committed files: `schema.graphql`, the executable schema as
 * clients see it (with its federation directives), and `subgraph.graphql`, the subgraph SDL
 * that composition takes.
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
  },
};

export default config;
