import { expect } from '@jest/globals';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
}

/** Sends one GraphQL request the way a client would. */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** Like gql, but fails the test on any GraphQL error and returns the data. */
export async function gqlOk<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const result = await gql<T>(url, query, variables, token);
  expect(result.errors ?? []).toEqual([]);
  return result.data as T;
}

export function errorCodes(result: GraphQLResponse): (string | undefined)[] {
  return (result.errors ?? []).map((e) => e.extensions?.code);
}

let counter = 0;

export interface Tenant {
  token: string;
  orgId: string;
  userId: string;
  email: string;
}

export const PASSWORD = 'correct horse battery staple';

/** Registers a new organization with its owner and returns the owner's token. */
export async function registerTenant(url: string, organizationName = `Org ${++counter}`): Promise<Tenant> {
  const email = `owner-${process.pid}-${Date.now()}-${++counter}@example.test`;
  const data = await gqlOk<{ register: { accessToken: string; user: { id: string }; organization: { id: string } } }>(
    url,
    `mutation ($input: RegisterInput!) { register(input: $input) { accessToken user { id } organization { id } } }`,
    { input: { organizationName, name: 'Owner', email, password: PASSWORD } },
  );
  return { token: data.register.accessToken, orgId: data.register.organization.id, userId: data.register.user.id, email };
}
