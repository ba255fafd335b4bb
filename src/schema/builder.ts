import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import { DateTimeResolver, JSONObjectResolver, JSONResolver } from 'graphql-scalars';
import type { GatewayContext } from '../context.js';
import type { UtcTimestamp } from '../upstream/models.js';

/**
 * The one SchemaBuilder: context type, scalars and plugins (federation needs the directives
 * plugin). Types live one per file beside it.
 */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string | number };
    DateTime: { Input: Date; Output: UtcTimestamp };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [DirectivePlugin, FederationPlugin],
  // The format graphql-tools reads, so GraphQL Code Generator sees the federation directives.
  directives: { useGraphQLToolsUnorderedDirectives: true },
  defaultFieldNullability: false,
});

// Timestamps are normalised to UTC once, when the upstream payload is read (`toUtcTimestamp`);
// graphql-scalars would re-validate each as a string and hand JSON.stringify a Date to format.
// Resolvers can only return UtcTimestamps (the Output type above); anything else gets graphql-scalars'.
builder.addScalarType('DateTime', DateTimeResolver, {
  serialize: (value) =>
    (typeof value === 'string' ? value : DateTimeResolver.serialize(value)) as UtcTimestamp,
});
builder.addScalarType('JSONObject', JSONObjectResolver);
builder.addScalarType('JSON', JSONResolver);

builder.queryType({
  description: 'The entry points of the AgentMC GraphQL gateway.',
});
