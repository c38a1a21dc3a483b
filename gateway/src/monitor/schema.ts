/**
 * The monitor: a small subgraph that lives in the gateway (served by a LocalGraphQLDataSource, never over HTTP), so
 * that what it reports (the services' circuit breakers) stays readable while any subgraph is down. It is composed
 * into the supergraph with the five domain subgraphs (composition.ts), but it is not one of them: it has no process,
 * no database and no entry in SUBGRAPHS.
 */
export const MONITOR_SUBGRAPH = 'monitor';

/** Its URL in the supergraph: a placeholder, since the gateway never fetches it. */
export const MONITOR_URL = 'local://gateway/monitor';

export const MONITOR_SDL = /* GraphQL */ `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

"An ISO 8601 date-time, e.g. 2026-11-25T10:00:00.000Z"
scalar DateTime

type Query {
  """
  The circuit breakers of every service: the gateway's (one per subgraph) and each subgraph's (external platforms, AI
  providers, websites), the gateway first. For OWNER and ADMIN; API keys may not use it. A subgraph that does not
  answer within a second is listed with reachable: false and no breakers.
  """
  circuitBreakers: [ServiceCircuits!]!
}

"One service's circuit breakers."
type ServiceCircuits {
  "gateway, auth, brand, strategy, creation or campaigns."
  service: String!
  "Whether the service answered; false means its breakers are unknown right now, not that it has none."
  reachable: Boolean!
  breakers: [CircuitBreaker!]!
}

enum CircuitBreakerState {
  "Calls go through; failures are counted over the window."
  CLOSED
  "The failure rate crossed its threshold: calls are refused at once (DEPENDENCY_UNAVAILABLE) until halfOpenAt."
  OPEN
  "The open period is over: a few probe calls go through; the first to succeed closes the breaker, a failure re-opens it."
  HALF_OPEN
}

"What sits behind a breaker."
enum CircuitBreakerKind {
  "A subgraph, as the gateway reaches it."
  SUBGRAPH
  "An external platform's API (social, email, CMS, ads)."
  PLATFORM
  "An AI provider."
  AI
  "A website the platform fetches."
  WEBSITE
}

"A circuit breaker in front of one dependency of one service."
type CircuitBreaker {
  service: String!
  "Unique within the service, e.g. subgraph:brand; the name BREAKER_OVERRIDES and the metrics use."
  name: String!
  kind: CircuitBreakerKind!
  "The dependency, e.g. 'the brand service'."
  dependency: String!
  state: CircuitBreakerState!
  stateChangedAt: DateTime!
  "When an OPEN breaker starts letting probes through; null unless OPEN."
  halfOpenAt: DateTime
  settings: CircuitBreakerSettings!
  "The rolling window the breaker decides on (summed at most a second ago)."
  window: CircuitBreakerWindow!
  "Since the service started."
  totals: CircuitBreakerTotals!
}

type CircuitBreakerSettings {
  "A call not answered after this long is aborted and counts as a timeout."
  timeoutMs: Int!
  "The rolling window over which failures are counted."
  windowMs: Int!
  "The breaker opens once the window holds at least this many calls ..."
  minimumCalls: Int!
  "... and more than this share of them failed or timed out."
  failureRate: Float!
  "How long an open breaker refuses calls before letting probes through."
  openMs: Int!
  "How many probes may run at once while HALF_OPEN."
  halfOpenProbes: Int!
}

type CircuitBreakerWindow {
  calls: Int!
  successes: Int!
  failures: Int!
  timeouts: Int!
  shortCircuits: Int!
  latencyMeanMs: Float!
  latencyP50Ms: Float!
  latencyP95Ms: Float!
  latencyP99Ms: Float!
  "When these were summed; null before the first sum."
  at: DateTime
}

"Counts since the service started (Float: they may pass 2^31 in a long-lived process)."
type CircuitBreakerTotals {
  successes: Float!
  failures: Float!
  timeouts: Float!
  "Calls refused while OPEN (or HALF_OPEN with every probe slot taken)."
  shortCircuits: Float!
  "Errors that say nothing of the dependency's health (a 4xx of our own making)."
  ignored: Float!
  "Calls let through while HALF_OPEN."
  probes: Float!
}
`;
