import { builder } from './builder.js';
/**
 * A user owned by another subgraph: this one only knows the id, and the router asks the
 * owning subgraph for everything else (`resolvable: false`).
 */
export const UserRef = builder
    .externalRef('User', builder.keyDirective(builder.selection('id'), false))
    .implement({
    description: 'An AgentMC user. Other subgraphs of the supergraph add their fields (a name, say).',
    fields: (t) => ({
        id: t.exposeID('id', { description: 'The AgentMC user id.' }),
    }),
});
//# sourceMappingURL=user.js.map