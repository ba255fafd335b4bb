/*
 * The AgentMC REST wire format, as its OpenAPI documents describe it (both generations): paths,
 * limits, statuses, bodies and error answers. Dependency-free on purpose (nothing outside
 * `src/wire/` is imported): the gateway's routes, the demo upstream, the test fake, the bench
 * upstream and the soak all speak it from this one description.
 */
export * from './wire/bodies.js';
export * from './wire/errors.js';
export * from './wire/paths.js';
export * from './wire/operations.js';
