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

describe('descriptions, so GraphiQL documents the API', () => {
  const ours = Object.values(schema.getTypeMap()).filter(
    (type) => !isIntrospectionType(type) && !(isScalarType(type) && isSpecifiedScalarType(type)),
  );

  it('every type of ours has one', () => {
    expect(ours.length).toBeGreaterThan(5);
    expect(ours.filter((type) => !type.description).map((type) => type.name)).toEqual([]);
  });

  it('every field, argument and enum value has one', () => {
    const missing: string[] = [];
    for (const type of ours) {
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
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
    // BAD_REQUEST belongs to the request as a whole, never to a field.
    const fieldCodes = Object.values(ErrorCode).filter((code) => code !== ErrorCode.BAD_REQUEST);
    for (const code of fieldCodes) expect(description).toContain(code);
  });
});
