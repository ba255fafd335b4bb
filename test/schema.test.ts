import { readFileSync } from 'node:fs';
import { plugin as printSchemaAst } from '@graphql-codegen/schema-ast';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import codegenConfig from '../codegen.js';
import { plugin as printSubgraphSdl } from '../codegen/subgraph-sdl.js';
import { ErrorCode } from '../src/errors.js';
import { schema } from '../src/schema/index.js';

describe('schema.graphql', () => {
  it('is exactly what `npm run codegen` prints from the Pothos schema (run it and commit the file)', async () => {
    const target = (codegenConfig.generates as Record<string, { config?: Record<string, unknown> }>)[
      'schema.graphql'
    ];
    const printed = await printSchemaAst(schema, [], target?.config ?? {});
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

    expect(committed).toBe(printed);
  });
});

describe('subgraph.graphql', () => {
  it('is exactly the subgraph SDL `npm run codegen` prints (run it and commit the file)', async () => {
    const printed = await printSubgraphSdl(schema, [], {});
    const committed = readFileSync(new URL('../subgraph.graphql', import.meta.url), 'utf8');

    expect(committed).toBe(printed);
  });

  it('links Federation v2 and declares the entity keys', () => {
    const committed = readFileSync(new URL('../subgraph.graphql', import.meta.url), 'utf8');

    expect(committed).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    expect(committed).toMatch(/type Agent\s+@key\(fields: "id"\)/);
    expect(committed).toMatch(/type RealtimeSession\s+@key\(fields: "id"\)/);
    expect(committed).toMatch(/type User\s+@key\(fields: "id", resolvable: false\)/);
    expect(committed).toMatch(/type Team\s+@key\(fields: "id", resolvable: false\)/);
  });
});

describe('descriptions, so GraphiQL documents the API', () => {
  // Names starting with `_` belong to the federation spec (`_entities`, `_Service`), not to us.
  const ours = Object.values(schema.getTypeMap()).filter(
    (type) =>
      !isIntrospectionType(type) &&
      !(isScalarType(type) && isSpecifiedScalarType(type)) &&
      !type.name.startsWith('_'),
  );

  it('every type of ours has one', () => {
    expect(ours.map((type) => type.name).sort()).toEqual([
      'Agent',
      'DateTime',
      'Host',
      'JSON',
      'JSONObject',
      'Mutation',
      'Query',
      'RealtimeCloseStatus',
      'RealtimeSession',
      'RealtimeSessionStatus',
      'RealtimeSignal',
      'RealtimeSignalPage',
      'RealtimeSignalSender',
      'RealtimeSocket',
      'RealtimeSocketConnection',
      'RequestedSessionsUpdate',
      'Subscription',
      'Team',
      'User',
    ]);
    expect(ours.filter((type) => !type.description).map((type) => type.name)).toEqual([]);
  });

  it('every field, argument and enum value has one', () => {
    const missing: string[] = [];
    for (const type of ours) {
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (field.name.startsWith('_')) continue;
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues())
          if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('requestedSessions lists every error code it can raise', () => {
    const agent = schema.getType('Agent');
    const description = isObjectType(agent) ? agent.getFields().requestedSessions?.description : undefined;
    // The codes of a request as a whole (it never ran) are not the field's, CANCELLED never
    // reaches a client, TOO_MANY_SUBSCRIPTIONS belongs to the subscription and
    // NOT_OFFERED_BY_UPSTREAM to `host` (both generations list requested sessions).
    const notOfTheField: string[] = [
      ErrorCode.BAD_REQUEST,
      ErrorCode.REQUEST_ENTITY_TOO_LARGE,
      ErrorCode.GRAPHQL_PARSE_FAILED,
      ErrorCode.GRAPHQL_VALIDATION_FAILED,
      ErrorCode.PERSISTED_QUERY_NOT_FOUND,
      ErrorCode.PERSISTED_QUERY_ONLY,
      ErrorCode.INTERNAL_SERVER_ERROR,
      ErrorCode.CANCELLED,
      ErrorCode.TOO_MANY_SUBSCRIPTIONS,
      ErrorCode.NOT_OFFERED_BY_UPSTREAM,
    ];
    const fieldCodes = Object.values(ErrorCode).filter((code) => !notOfTheField.includes(code));
    for (const code of fieldCodes) expect(description).toContain(code);
  });
});
