import type { CodegenConfig } from '@graphql-codegen/cli';

/** Prints the executable schema built by Pothos to the committed `schema.graphql`. */
const config: CodegenConfig = {
  schema: './src/schema/index.ts',
  generates: {
    'schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true },
    },
  },
};

export default config;
