/**
 * A provider's circuit breaker, end to end: the X fake failing with 503s opens X's breaker (small settings given by
 * the module's profile), refused calls never reach X, LinkedIn's breaker of the same service is not touched, probes
 * after `openMs` close or re-open it, and refusals of our content never count as failures.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { breakerSnapshots, DependencyUnavailableError, releaseBreakers } from '@umt/infra';
import { linkedinFake, xFake } from '@umt/fakes';
import { adapterFor, PROVIDERS, ProviderError, readIntegrationConfig, type IntegrationConfig, type ProviderModule, type SocialAdapter } from '@umt/integrations';
import { waitFor } from '@umt/test-support';

const SERVICE = `test-provider-breaker-${process.pid}`;
const BREAKER = { minimumCalls: 3, openMs: 500, timeoutMs: 1000 };
/** X with breaker settings small enough for a test. */
const smallX: ProviderModule<SocialAdapter> = { ...PROVIDERS.x, profile: { ...PROVIDERS.x.profile, breaker: BREAKER } };

let x: ReturnType<typeof xFake>;
let linkedin: ReturnType<typeof linkedinFake>;
let config: IntegrationConfig;
let texts = 0;
const unique = (text: string) => `${text} ${(texts += 1)}`;

function xAdapter(service: string) {
  const { accessToken } = x.oauth.issue('tweet.read tweet.write users.read offline.access');
  return adapterFor(smallX, config.providers.x, { kind: 'oauth2', accessToken }, { service, accountKey: `breaker-x-${(texts += 1)}` });
}

function linkedinAdapter(service: string) {
  const { accessToken } = linkedin.oauth?.issue('openid profile w_member_social') ?? { accessToken: '' };
  return adapterFor(PROVIDERS.linkedin, config.providers.linkedin, { kind: 'oauth2', accessToken }, { service, accountKey: `breaker-linkedin-${(texts += 1)}` });
}

const stateOf = (service: string, name: string) => breakerSnapshots(service).find((b) => b.name === name)?.state;


async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  x = xFake();
  linkedin = linkedinFake();
  await x.server.start();
  await linkedin.server.start();
  config = readIntegrationConfig({ ...x.env(), ...linkedin.env() });
});

afterAll(async () => {
  releaseBreakers(SERVICE);
  releaseBreakers(`${SERVICE}-content`);
  await Promise.all([x.server.stop(), linkedin.server.stop()]);
});

describe("a provider's circuit breaker", () => {
  it('does not count refused content toward opening', async () => {
    const service = `${SERVICE}-content`;
    const adapter = xAdapter(service);
    x.server.fault({ kind: 'invalid', status: 400 });
    try {
      for (let i = 0; i < 6; i += 1) {
        const before = x.server.requests.length;
        expect(await rejection(adapter.publish({ text: unique('refused') }))).toMatchObject({ kind: 'INVALID_CONTENT' });
        expect(x.server.requests.length).toBe(before + 1); // every one reached X
      }
      expect(stateOf(service, 'platform:x')).toBe('CLOSED');
    } finally {
      x.server.reset();
    }
  });

  it('opens on outages, then refuses fast without calling X, leaves LinkedIn alone, and probes after openMs', async () => {
    const adapter = xAdapter(SERVICE);
    const other = linkedinAdapter(SERVICE);
    await adapter.publish({ text: unique('healthy') });
    expect(stateOf(SERVICE, 'platform:x')).toBe('CLOSED');

    // X fails: the breaker opens within minimumCalls failures.
    x.server.fault({ kind: 'fail', status: 503 });
    let failures = 0;
    while (stateOf(SERVICE, 'platform:x') !== 'OPEN') {
      expect(await rejection(adapter.publish({ text: unique('down') }))).toMatchObject({ kind: 'OUTAGE', status: 503 });
      failures += 1;
      expect(failures).toBeLessThanOrEqual(BREAKER.minimumCalls);
    }

    // Open: refused at once, with the dependency's code, and X hears nothing.
    const before = x.server.requests.length;
    const started = performance.now();
    const refused = await rejection(adapter.publish({ text: unique('refused fast') }));
    expect(performance.now() - started).toBeLessThan(BREAKER.timeoutMs / 10);
    expect(refused).toBeInstanceOf(DependencyUnavailableError);
    expect(refused).not.toBeInstanceOf(ProviderError);
    expect(refused).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', reason: 'open', dependency: 'the X API' });
    expect(x.server.requests.length).toBe(before);

    // LinkedIn, same service, its own breaker: unaffected.
    const posted = await other.publish({ text: unique('LinkedIn is fine') });
    expect(posted.externalId).toMatch(/^urn:li:share:/);
    expect(stateOf(SERVICE, 'platform:linkedin')).toBe('CLOSED');

    // After openMs, a probe reaches X; X still fails, so the breaker opens again.
    await waitFor('HALF_OPEN', () => stateOf(SERVICE, 'platform:x') === 'HALF_OPEN', BREAKER.openMs * 4, 10);
    expect(await rejection(adapter.publish({ text: unique('probe') }))).toMatchObject({ kind: 'OUTAGE' });
    expect(x.server.requests.length).toBe(before + 1);
    expect(stateOf(SERVICE, 'platform:x')).toBe('OPEN');
    expect(await rejection(adapter.publish({ text: unique('refused again') }))).toBeInstanceOf(DependencyUnavailableError);
    expect(x.server.requests.length).toBe(before + 1);

    // X recovers: the next probe succeeds and closes the breaker.
    x.server.reset();
    await waitFor('HALF_OPEN', () => stateOf(SERVICE, 'platform:x') === 'HALF_OPEN', BREAKER.openMs * 4, 10);
    await adapter.publish({ text: unique('probe succeeds') });
    expect(x.server.requests.length).toBe(before + 2);
    expect(stateOf(SERVICE, 'platform:x')).toBe('CLOSED');
    await adapter.publish({ text: unique('back to normal') });
    expect(x.server.requests.length).toBe(before + 3);
  });
});
