import type { Context } from '../context';
import type { Resolvers } from '../generated/graphql';
import { Brand, CalendarEntry, calendarMutations, calendarQueries } from './calendar';

export const resolvers: Resolvers<Context> = {
  Query: { ...calendarQueries },
  Mutation: { ...calendarMutations },
  Brand,
  CalendarEntry,
};
