import { describe, expect, it } from '@jest/globals';
import { parse, type DocumentNode } from 'graphql';
import { applyPolicies, can, readsParentProperty, requiredPolicies, type Principal, type Scope } from '../src/index';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
const sdl = (body: string): DocumentNode => parse(`${LINK}\n${body}`);

type Lookup = (reference: unknown, ctx: { principal: Principal }) => unknown;
type FieldResolver = (parent: unknown, args: unknown, ctx: { principal: Principal }) => unknown;

const key = (scopes: Scope[]): Principal => ({ kind: 'apiKey', keyId: 'k', orgId: 'o', scopes });

describe('access policies of nested fields', () => {
  // Strategy adds two fields to brand's Brand and owns CalendarEntry.
  const strategy = sdl(`
    type Brand @key(fields: "id") { id: ID! calendar: [String!]! planning: String }
    type CalendarEntry @key(fields: "id") { id: ID! title: String! }
    type Query { calendarEntry(id: ID!): CalendarEntry }
  `);
  const complete = {
    'Query.calendarEntry': can.read('calendar:read'),
    'CalendarEntry.__resolveReference': can.read('calendar:read'),
    'Brand.calendar': can.read('calendar:read'),
    'Brand.planning': can.read('calendar:read'),
  };

  it("requires one for every root field, owned entity's lookup and field added to another's entity", () => {
    expect(requiredPolicies('strategy', strategy).sort()).toEqual(['Brand.calendar', 'Brand.planning', 'CalendarEntry.__resolveReference', 'Query.calendarEntry']);
  });

  it('refuses to start without one, naming each missing field', () => {
    const { 'Brand.planning': _planning, 'CalendarEntry.__resolveReference': _lookup, ...partial } = complete;
    expect(() => applyPolicies('strategy', strategy, {}, partial)).toThrow('strategy: no access policy for Brand.planning, CalendarEntry.__resolveReference');
  });

  it('refuses an entity that DOMAINS gives no owner', () => {
    expect(() => applyPolicies('strategy', sdl('type Widget @key(fields: "id") { id: ID! }'), {}, {})).toThrow('strategy: entity Widget has no owner in DOMAINS');
  });

  it("guards an owned entity's lookup with its policy and another's with any caller of an organization", () => {
    const resolvers = applyPolicies('strategy', strategy, { CalendarEntry: { __resolveReference: () => 'entry' } }, complete) as unknown as Record<string, Record<string, unknown>>;
    const entry = resolvers.CalendarEntry!.__resolveReference as Lookup;
    const brand = resolvers.Brand!.__resolveReference as Lookup;
    expect(() => entry({ id: '1' }, { principal: key(['brands:read']) })).toThrow(/lacks the scope calendar:read/);
    expect(entry({ id: '1' }, { principal: key(['calendar:read']) })).toBe('entry');
    // The stub yields only the key the gateway sent; its fields are guarded one by one.
    expect(brand({ id: '1' }, { principal: key(['brands:read']) })).toEqual({ id: '1' });
    expect(() => (resolvers.Brand!.calendar as FieldResolver)({ id: '1', calendar: ['x'] }, {}, { principal: key(['brands:read']) })).toThrow(/lacks the scope calendar:read/);
    expect(() => brand({ id: '1' }, { principal: { kind: 'anonymous' } })).toThrow();
  });

  it('marks the guards that stand in for a missing resolver', () => {
    const resolvers = applyPolicies('strategy', strategy, { Brand: { calendar: () => [] } }, complete) as unknown as Record<string, Record<string, unknown>>;
    expect(readsParentProperty(resolvers.Brand!.planning)).toBe(true);
    expect(readsParentProperty(resolvers.Brand!.calendar)).toBe(false);
    expect((resolvers.Brand!.planning as FieldResolver)({ id: '1', planning: 'p' }, {}, { principal: key(['calendar:read']) })).toBe('p');
  });
});
