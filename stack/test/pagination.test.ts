import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Stack } from '../src/index';
import { errorCodes, gql, gqlOk, registerTenant, type Tenant } from '@umt/test-support';
import { startTestStack } from './support/stack';

interface Page {
  brands: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

describe('cursor pagination through the gateway', () => {
  let stack: Stack;
  let tenant: Tenant;

  beforeAll(async () => {
    stack = await startTestStack();
    tenant = await registerTenant(stack.url);
    for (let i = 0; i < 25; i += 1) {
      await gqlOk(stack.url, `mutation ($n: String!) { createBrand(input: { name: $n }) { id } }`, { n: `Brand ${String(i).padStart(2, '0')}` }, tenant.token);
    }
  });
  afterAll(() => stack?.stop());

  it('walks every brand exactly once, in creation order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages += 1) {
      const data: Page = await gqlOk<Page>(
        stack.url,
        `query ($after: String) { brands(first: 10, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } }`,
        { after },
        tenant.token,
      );
      seen.push(...data.brands.nodes.map((n) => n.name));
      if (!data.brands.pageInfo.hasNextPage) break;
      after = data.brands.pageInfo.endCursor;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `Brand ${String(i).padStart(2, '0')}`));
  });

  it('refuses page sizes out of range and forged cursors with BAD_USER_INPUT', async () => {
    for (const args of ['first: 0', 'first: 101', 'after: "bm90IGEgY3Vyc29y"']) {
      const result = await gql(stack.url, `{ brands(${args}) { nodes { name } } }`, {}, tenant.token);
      expect({ args, codes: errorCodes(result) }).toEqual({ args, codes: ['BAD_USER_INPUT'] });
    }
  });

  it('validates input before writing anything', async () => {
    const bad = [
      `createBrand(input: { name: "   " }) { id }`,
      `createBrand(input: { name: "Ok", website: "javascript:alert(1)" }) { id }`,
      `createBrand(input: { name: "${'x'.repeat(121)}" }) { id }`,
      `createProject(input: { brandId: "not-a-uuid", name: "x", type: BLOG }) { id }`,
      `schedulePublication(input: { contentId: "00000000-0000-4000-8000-000000000000", channel: BLOG, scheduledAt: "2001-01-01T00:00:00Z" }) { id }`,
    ];
    for (const mutation of bad) {
      const result = await gql(stack.url, `mutation { ${mutation} }`, {}, tenant.token);
      expect({ mutation, codes: errorCodes(result) }).toEqual({ mutation, codes: ['BAD_USER_INPUT'] });
    }
    const duplicate = await gql(stack.url, `mutation { createBrand(input: { name: "brand 00" }) { id } }`, {}, tenant.token);
    expect(errorCodes(duplicate)).toEqual(['CONFLICT']);
    const count = await gqlOk<Page>(stack.url, `{ brands(first: 100) { nodes { name } pageInfo { hasNextPage endCursor } } }`, {}, tenant.token);
    expect(count.brands.nodes).toHaveLength(25);
  });
});
