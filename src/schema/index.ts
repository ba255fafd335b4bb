import { builder } from './builder.js';
import './realtime-session.js';
import './agent.js';

/** The executable schema; `npm run codegen` prints it to schema.graphql. */
export const schema = builder.toSchema({ sortSchema: true });
