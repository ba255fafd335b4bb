import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

/** A neighbouring subgraph, as another team would write it: it owns users and their names. */
export const usersTypeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type User @key(fields: "id") {
    id: ID!
    name: String!
  }

  type Query {
    user(id: ID!): User
  }
`);

export const userNames: Readonly<Record<string, string>> = { '9001': 'Ada Lovelace', '311': 'Grace Hopper' };

export interface UsersSubgraph {
  url: URL;
  /** The `_entities` representations it was asked for, in order. */
  references: string[];
  close(): Promise<void>;
}

export async function startUsersSubgraph(): Promise<UsersSubgraph> {
  const references: string[] = [];
  const user = (id: string) => (userNames[id] ? { id, name: userNames[id] } : null);
  const schema = buildSubgraphSchema({
    typeDefs: usersTypeDefs,
    resolvers: {
      Query: { user: (_root: unknown, { id }: { id: string }) => user(id) },
      User: {
        __resolveReference: ({ id }: { id: string }) => {
          references.push(id);
          return user(id);
        },
      },
    },
  });
  const server = createServer(createYoga({ schema, logging: false }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/graphql`),
    references,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
