import { describe, expect, it } from '@jest/globals';
import { accessTokenCodec, createTokenCodec, principalCodec, type Principal } from '../src/index';

const OLD = 'o'.repeat(40);
const NEW = 'n'.repeat(40);
const principal: Principal = { kind: 'user', userId: 'u1', orgId: 'o1', roles: ['ADMIN'], sessionId: 's1', address: '10.0.0.1' };

describe('signed tokens', () => {
  it('round-trips every kind of principal', () => {
    const codec = principalCodec({ secret: NEW, acceptedSecrets: [] }, 60, 'brand');
    const kinds: Principal[] = [
      principal,
      { kind: 'apiKey', keyId: 'k1', orgId: 'o1', scopes: ['content:read'], address: '10.0.0.2' },
      { kind: 'anonymous', address: '10.0.0.3' },
      { kind: 'gateway' },
    ];
    for (const p of kinds) expect(codec.verify(codec.sign(p))).toEqual(p);
  });

  it('rotates secrets without downtime: old and new verify during the rollout, only new signs', () => {
    const before = principalCodec({ secret: OLD, acceptedSecrets: [] }, 60, 'brand');
    const during = principalCodec({ secret: NEW, acceptedSecrets: [OLD] }, 60, 'brand');
    const after = principalCodec({ secret: NEW, acceptedSecrets: [] }, 60, 'brand');
    const fromOld = before.sign(principal);
    const fromNew = during.sign(principal);
    expect(during.verify(fromOld)).toEqual(principal);
    expect(during.verify(fromNew)).toEqual(principal);
    expect(after.verify(fromNew)).toEqual(principal);
    expect(() => after.verify(fromOld)).toThrow();
    expect(() => before.verify(fromNew)).toThrow();
  });

  it('keeps access tokens and principals apart, and refuses expired tokens', async () => {
    const keys = { secret: NEW, acceptedSecrets: [] };
    expect(() => principalCodec(keys, 60, 'brand').verify(accessTokenCodec(keys, 60).sign(principal))).toThrow();
    expect(() => accessTokenCodec(keys, 60).verify(principalCodec(keys, 60, 'brand').sign(principal))).toThrow();
    const brief = createTokenCodec({ ...keys, ttlSeconds: 1, issuer: 'umt-gateway', audience: 'umt-subgraph:brand' });
    const token = brief.sign(principal);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(() => brief.verify(token)).toThrow();
  });

  it('binds a principal to the subgraph it was signed for', () => {
    const keys = { secret: NEW, acceptedSecrets: [] };
    const forBrand = principalCodec(keys, 60, 'brand').sign(principal);
    expect(principalCodec(keys, 60, 'brand').verify(forBrand)).toEqual(principal);
    expect(() => principalCodec(keys, 60, 'strategy').verify(forBrand)).toThrow();
  });
});
