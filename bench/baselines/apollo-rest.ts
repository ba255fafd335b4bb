/*
 * Baseline "apollo-rest": what the Apollo documentation leads a user to. Apollo Server 5's
 * standalone server, a RESTDataSource per request (its default fetch and per-request GET
 * deduplication), the caller's key forwarded in willSendRequest, and a hand-written SDL.
 */
import { RESTDataSource, type AugmentedRequest } from '@apollo/datasource-rest';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { JSONObjectResolver } from 'graphql-scalars';
import { AGENTS_PATHS, type WireSession } from '../../src/agentmc-wire.js';
import { announce, settings, toGraphQLSession, typeDefs } from './shared.js';

const { upstream, port, host } = settings();

/** The cache type RESTDataSource takes, named without importing its transitive package. */
type DataSourceCache = NonNullable<ConstructorParameters<typeof RESTDataSource>[0]>['cache'];

class AgentMcApi extends RESTDataSource {
  override baseURL = upstream.href;

  constructor(
    private readonly apiKey: string,
    cache: DataSourceCache,
  ) {
    super({ cache });
  }

  override willSendRequest(_path: string, request: AugmentedRequest): void {
    request.headers['x-api-key'] = this.apiKey;
  }

  async requestedSessions(limit: number) {
    // Relative to baseURL, which ends in `/`.
    const body = await this.get<{ data: WireSession[] }>(
      AGENTS_PATHS.listAgentRealtimeRequestedSessions.slice(1),
      {
        params: { limit: String(limit) },
      },
    );
    return body.data.map(toGraphQLSession);
  }
}

interface Context {
  dataSources: { agentMc: AgentMcApi };
}

const server = new ApolloServer<Context>({
  typeDefs,
  resolvers: {
    JSONObject: JSONObjectResolver,
    Query: { agent: () => ({}) },
    Agent: {
      requestedSessions: (_agent: unknown, args: { limit: number }, context: Context) =>
        context.dataSources.agentMc.requestedSessions(args.limit),
    },
  },
});

const { url } = await startStandaloneServer(server, {
  listen: { port, host },
  context: async ({ req }) => {
    const key = req.headers['x-api-key'];
    // A new data source per request, as Apollo documents, sharing the server's cache.
    return { dataSources: { agentMc: new AgentMcApi(typeof key === 'string' ? key : '', server.cache) } };
  },
});
// The standalone server serves GraphQL on every path; name /graphql like the others.
announce(new URL('graphql', url).href);

process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
