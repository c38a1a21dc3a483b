import { CircuitBreaker, type BreakerOptions, type BreakerSnapshot } from './breaker';

/**
 * Every breaker of the process, by service then name: what monitoring reads. `npm start` runs all six services in one
 * process, so the service is part of the key.
 */
const breakers = new Map<string, CircuitBreaker>();
const keyOf = (service: string, name: string) => `${service}\u0000${name}`;

/** The breaker `options.name` of `options.service`: created once, then shared by every caller. */
export function breakerFor(options: BreakerOptions): CircuitBreaker {
  const key = keyOf(options.service, options.name);
  let breaker = breakers.get(key);
  if (!breaker) {
    breaker = new CircuitBreaker(options);
    breakers.set(key, breaker);
  }
  return breaker;
}

/** The service's breakers' states and statistics, by name. */
export function breakerSnapshots(service: string): BreakerSnapshot[] {
  return [...breakers.values()]
    .filter((b) => b.service === service)
    .map((b) => b.snapshot())
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Stops and forgets the service's breakers (at shutdown: a service started again in the same process starts afresh). */
export function releaseBreakers(service: string): void {
  for (const [key, breaker] of breakers) {
    if (breaker.service !== service) continue;
    breaker.destroy();
    breakers.delete(key);
  }
}
