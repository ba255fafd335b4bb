import { builder } from './builder.js';
import './agent.js';
import './host.js';
import './lifecycle-mutations.js';
import './realtime-signal.js';
import './realtime-signal-added.js';
import './requested-sessions-update.js';
import './realtime-session.js';
import './team.js';
import './user.js';

/**
 * The executable schema, an Apollo Federation v2 subgraph (`_service`, `_entities`).
 * `npm run codegen` prints it to schema.graphql, and its subgraph SDL to subgraph.graphql.
 */
export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  sortSchema: true,
});
