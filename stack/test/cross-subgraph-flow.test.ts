import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Stack } from '../src/index';
import { gql, gqlOk, PASSWORD, registerTenant } from '@umt/test-support';
import { startTestStack } from './support/stack';

const OVERVIEW = /* GraphQL */ `
  query Overview {
    organization {
      id
      name
      brands {
        nodes {
          name
          organization { name }
          projects { nodes { name type status brand { name } } }
        }
      }
    }
  }
`;

/** On PostgreSQL, as in production, and on the embedded PGlite of `npm start`: the same answers. */
describe.each(['pglite', 'postgres'] as const)('register → login → brand → project → one cross-subgraph query (%s)', (kind) => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startTestStack({ database: kind });
    expect(stack.database.kind).toBe(kind);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('returns the organization with its brands and their projects', async () => {
    const tenant = await registerTenant(stack.url, 'Acme Marketing');

    const login = await gqlOk<{ login: { accessToken: string; role: string; organization: { id: string } } }>(
      stack.url,
      `mutation ($input: LoginInput!) { login(input: $input) { accessToken role organization { id } } }`,
      { input: { email: tenant.email, password: PASSWORD } },
    );
    expect(login.login.role).toBe('OWNER');
    expect(login.login.organization.id).toBe(tenant.orgId);
    const token = login.login.accessToken;

    const brand = await gqlOk<{ createBrand: { id: string } }>(
      stack.url,
      `mutation ($input: CreateBrandInput!) { createBrand(input: $input) { id } }`,
      { input: { name: 'Acme Coffee', website: 'https://coffee.example', voice: 'warm' } },
      token,
    );
    await gqlOk(
      stack.url,
      `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id status } }`,
      { input: { brandId: brand.createBrand.id, name: 'Spring launch', type: 'BLOG' } },
      token,
    );

    const overview = await gqlOk(stack.url, OVERVIEW, {}, token);
    expect(overview).toEqual({
      organization: {
        id: tenant.orgId,
        name: 'Acme Marketing',
        brands: {
          nodes: [
            {
              name: 'Acme Coffee',
              organization: { name: 'Acme Marketing' },
              projects: { nodes: [{ name: 'Spring launch', type: 'BLOG', status: 'DRAFT', brand: { name: 'Acme Coffee' } }] },
            },
          ],
        },
      },
    });
  });

  it('refuses a wrong password and a duplicate registration', async () => {
    const tenant = await registerTenant(stack.url);
    const wrong = await gql(stack.url, `mutation { login(input: { email: "${tenant.email}", password: "not the password" }) { accessToken } }`);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(wrong.errors?.[0]?.message).toBe('Invalid email or password.');

    const again = await gql(
      stack.url,
      `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`,
      { input: { organizationName: 'Again', name: 'Someone', email: tenant.email.toUpperCase(), password: PASSWORD } },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
