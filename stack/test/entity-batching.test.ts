import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Stack } from '../src/index';
import { gqlOk, registerTenant, type Tenant } from '@umt/test-support';
import { startTestStack } from './support/stack';

/**
 * Federation sends the references of one type in one `_entities` call; the subgraph must answer it with one
 * SQL query, not one per reference. The SQL of every subgraph is observed through the shared database host.
 */
describe('entity references are loaded in batches', () => {
  let stack: Stack;
  let tenant: Tenant;
  const statements: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ onQuery: (event) => statements.push(event.query.sql) });
    tenant = await registerTenant(stack.url, 'Batch Co');
  });
  afterAll(() => stack?.stop());
  beforeEach(() => {
    statements.length = 0;
  });

  const matching = (pattern: RegExp) => statements.filter((sql) => pattern.test(sql));

  it('50 brands with their organization: one SQL query for organizations in the auth subgraph', async () => {
    for (let i = 0; i < 50; i += 1) {
      await gqlOk(stack.url, `mutation ($name: String!) { createBrand(input: { name: $name }) { id } }`, { name: `Brand ${i}` }, tenant.token);
    }
    statements.length = 0;

    const data = await gqlOk<{ brands: { nodes: { name: string; organization: { name: string } }[] } }>(
      stack.url,
      `{ brands(first: 50) { nodes { name organization { name } } } }`,
      {},
      tenant.token,
    );

    expect(data.brands.nodes).toHaveLength(50);
    expect(new Set(data.brands.nodes.map((b) => b.organization.name))).toEqual(new Set(['Batch Co']));
    expect(matching(/from "auth"\."organizations"/)).toHaveLength(1);
  });

  it('50 pieces of content with 50 different projects: one SQL query for projects in the brand subgraph', async () => {
    const brand = await gqlOk<{ createBrand: { id: string } }>(
      stack.url,
      `mutation { createBrand(input: { name: "Many projects" }) { id } }`,
      {},
      tenant.token,
    );
    for (let i = 0; i < 50; i += 1) {
      const project = await gqlOk<{ createProject: { id: string } }>(
        stack.url,
        `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }`,
        { input: { brandId: brand.createBrand.id, name: `Project ${i}`, type: 'SOCIAL_POST' } },
        tenant.token,
      );
      await gqlOk(
        stack.url,
        `mutation ($input: CreateContentInput!) { createContent(input: $input) { id } }`,
        { input: { projectId: project.createProject.id, channel: 'LINKEDIN', title: `Post ${i}`, body: 'Hello' } },
        tenant.token,
      );
    }
    statements.length = 0;

    const data = await gqlOk<{ contents: { nodes: { title: string; project: { name: string; contents: { nodes: unknown[] } } }[] } }>(
      stack.url,
      `{ contents(first: 50) { nodes { title project { name contents { nodes { id } } } } } }`,
      {},
      tenant.token,
    );

    expect(data.contents.nodes).toHaveLength(50);
    expect(data.contents.nodes.every((c) => c.project.name === c.title.replace('Post', 'Project'))).toBe(true);
    expect(data.contents.nodes.every((c) => c.project.contents.nodes.length === 1)).toBe(true);
    expect(matching(/from "brand"\."projects"/)).toHaveLength(1);
    // Each project's own contents list, too, is one windowed query for all 50 projects.
    expect(matching(/from "creation"\."contents"/)).toHaveLength(2);
  });
});
