import { BRAND_EDITORS, can, type AccessPolicies } from '@umt/infra';

/** Who may use each root field and cross-domain field of the strategy subgraph (README: access matrix). */
export const policies: AccessPolicies = {
  'Query.calendarEntry': can.read('calendar:read'),
  'Mutation.planCalendarEntry': can.write(BRAND_EDITORS, 'calendar:write'),

  // Strategy data reached from other domains: its entity's lookup, and what it adds to brand's Brand.
  'CalendarEntry.__resolveReference': can.read('calendar:read'),
  'Brand.planning': can.read('calendar:read'),
  'Brand.calendar': can.read('calendar:read'),
};
