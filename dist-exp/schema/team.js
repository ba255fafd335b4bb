import { builder } from './builder.js';
/** A team owned by another subgraph; this one only references it by id. */
export const TeamRef = builder
    .externalRef('Team', builder.keyDirective(builder.selection('id'), false))
    .implement({
    description: 'An AgentMC team. Other subgraphs of the supergraph add their fields.',
    fields: (t) => ({
        id: t.exposeID('id', { description: 'The AgentMC team id.' }),
    }),
});
//# sourceMappingURL=team.js.map