import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Label values for operation names are client input: bounded in shape and in number. */
const MAX_OPERATION_NAMES = 100;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Bound children by label values: prom-client hashes a label object on every observation. */
function childrenOf<T>(make: (...values: string[]) => T): (...values: string[]) => T {
  const children = new Map<string, T>();
  return (...values) => {
    const key = values.join('\0');
    let child = children.get(key);
    if (child === undefined) children.set(key, (child = make(...values)));
    return child;
  };
}

/** From 5 ms (a cached or shared answer) to 5 s (past every upstream deadline). */
const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The states the circuit gauge encodes, as the breaker names them. Spelled out here so that the
 * metrics depend on no upstream module; a state the breaker adds fails to compile where
 * `server.ts` hands its state to the gauge.
 */
type CircuitState = 'closed' | 'half-open' | 'open';
const CIRCUIT_STATE_VALUE: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The gateway's Prometheus metrics, on a registry of its own (not prom-client's global one, so
 * that several gateways in one process, as in the tests, never collide). Served at /metrics by
 * `useMetricsEndpoint`, which also times every HTTP answer.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #operationNames = new Set<string>();

  readonly operations = new Counter({
    name: 'agentmc_graphql_operations_total',
    help: 'GraphQL operations executed, by operation name, type and outcome (success, partial, error).',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly operationDuration = new Histogram({
    name: 'agentmc_graphql_operation_duration_seconds',
    help: 'Time to execute a GraphQL operation, by operation name, type and outcome.',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'agentmc_graphql_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, GraphQL or not, by method and status code.',
    labelNames: ['method', 'status_code'] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  readonly upstreamRequests = new Counter({
    name: 'agentmc_upstream_requests_total',
    help: 'Calls to the AgentMC API, by route and final status (an HTTP status, or timeout, unreachable, circuit_open, cancelled, bad_response).',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'agentmc_upstream_request_duration_seconds',
    help: 'Duration of calls to the AgentMC API, retries included, by route and final status.',
    labelNames: ['route', 'status'] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  readonly upstreamRetries = new Counter({
    name: 'agentmc_upstream_retries_total',
    help: 'Retries of calls to the AgentMC API, by route and the reason (an HTTP status or an error code).',
    labelNames: ['route', 'reason'] as const,
    registers: [this.registry],
  });

  readonly upstreamShared = new Counter({
    name: 'agentmc_upstream_shared_total',
    help: 'Requests that joined a call already in flight for the same key and arguments instead of making their own.',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  readonly #apiGeneration = new Gauge({
    name: 'agentmc_api_generation',
    help: 'The AgentMC API generation in use (1 for the one series that holds): hosts, agents, or by-key (chosen per key because the server document was not read), and why (source).',
    labelNames: ['generation', 'source'] as const,
    registers: [this.registry],
  });

  readonly #redisOutages = new Counter({
    name: 'agentmc_redis_outages_total',
    help: 'Times Redis (REDIS_URL) became unreachable, so that each replica polled its live feeds in-process until it was back.',
    registers: [this.registry],
  });

  readonly #redisDegraded = new Gauge({
    name: 'agentmc_redis_degraded',
    help: 'Whether the live feeds poll in-process because Redis (REDIS_URL) is unreachable (1) or share their pollers through it (0; always 0 without REDIS_URL).',
    registers: [this.registry],
  });

  /** A Redis outage began (src/live/redis-health.ts). */
  redisOutage(): void {
    this.#redisOutages.inc();
  }

  redisDegraded(degraded: boolean): void {
    this.#redisDegraded.set(degraded ? 1 : 0);
  }

  /** Exactly one series of the generation gauge is 1: the choice in use now. */
  setApiGeneration(generation: string, source: string): void {
    this.#apiGeneration.reset();
    this.#apiGeneration.labels(generation, source).set(1);
  }

  constructor(circuitState: () => CircuitState) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'agentmc_upstream_circuit_state',
      help: 'State of the circuit breaker in front of the AgentMC API: 0 closed, 1 half-open, 2 open.',
      registers: [this.registry],
      collect() {
        this.set(CIRCUIT_STATE_VALUE[circuitState()]);
      },
    });
  }

  readonly #httpDurationOf = childrenOf((method, status) => this.httpDuration.labels(method, status));
  readonly #operationsOf = childrenOf((name, type, outcome) => this.operations.labels(name, type, outcome));
  readonly #operationDurationOf = childrenOf((name, type, outcome) =>
    this.operationDuration.labels(name, type, outcome),
  );

  readonly #upstreamRequestsOf = childrenOf((route, status) => this.upstreamRequests.labels(route, status));
  readonly #upstreamDurationOf = childrenOf((route, status) => this.upstreamDuration.labels(route, status));

  /** One finished call to AgentMC: its route, final status (or failure label) and duration. */
  countUpstreamCall(route: string, status: string, seconds: number): void {
    this.#upstreamRequestsOf(route, status).inc();
    this.#upstreamDurationOf(route, status).observe(seconds);
  }

  /** Methods come from Node's HTTP parser and statuses from us: both bounded sets. */
  observeHttpRequest(method: string, status: number, seconds: number): void {
    this.#httpDurationOf(method, String(status)).observe(seconds);
  }

  /** An operation that ran (with its duration) or was refused before running (without). */
  countOperation(name: string, type: string, outcome: string, seconds?: number): void {
    this.#operationsOf(name, type, outcome).inc();
    if (seconds !== undefined) this.#operationDurationOf(name, type, outcome).observe(seconds);
  }

  /** A label value for a client-chosen operation name, never an unbounded set. */
  operationLabel(name: string | undefined | null): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'invalid';
    if (this.#operationNames.has(name)) return name;
    if (this.#operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.#operationNames.add(name);
    return name;
  }
}
