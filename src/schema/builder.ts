import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import type { GatewayContext } from '../context.js';

/**
 * The one SchemaBuilder: context type, scalars and plugins (federation needs the directives
 * plugin). Types live one per file beside it.
 */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string | number };
    DateTime: { Input: Date; Output: Date };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
  };
}>({
  plugins: [DirectivePlugin, FederationPlugin],
  // The format graphql-tools reads, so GraphQL Code Generator sees the federation directives.
  directives: { useGraphQLToolsUnorderedDirectives: true },
  defaultFieldNullability: false,
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);

builder.queryType({
  description: 'The entry points of the AgentMC GraphQL gateway.',
});
