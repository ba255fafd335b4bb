import { printSubgraphSchema } from '@apollo/subgraph';
import type { PluginFunction } from '@graphql-codegen/plugin-helpers';

/**
 * A GraphQL Code Generator plugin that prints the subgraph SDL, federation directives
 * included, the way Apollo's tools (and `rover subgraph publish`) expect it for composition.
 */
export const plugin: PluginFunction = (schema) => `${printSubgraphSchema(schema)}\n`;
