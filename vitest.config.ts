import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Vite would load graphql's ESM build for our sources while Node loads the CJS build for Yoga
// and Pothos: two realms, and `instanceof GraphQLError` fails. Pin everything to Node's choice.
const graphqlEntry = createRequire(import.meta.url).resolve('graphql');

export default defineConfig({
  resolve: {
    alias: { graphql: graphqlEntry },
    dedupe: ['graphql'],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 15_000,
    hookTimeout: 15_000,
    pool: 'forks',
  },
});
