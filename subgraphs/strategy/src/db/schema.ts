import type { Connection } from '@umt/infra';
import type { Generated, Selectable } from 'kysely';

export type { Channel } from '@umt/infra';
import type { Channel } from '@umt/infra';
export type CalendarEntryStatus = 'PLANNED' | 'SCHEDULED' | 'DONE' | 'CANCELLED';

export interface CalendarEntryTable {
  id: Generated<string>;
  orgId: string;
  brandId: string;
  channel: Channel;
  title: string;
  notes: string | null;
  scheduledAt: Date;
  status: Generated<CalendarEntryStatus>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

/** Strategy's own record of a brand, written when `brand.created` arrives. */
export interface BrandPlanningTable {
  brandId: string;
  orgId: string;
  brandName: string;
  preparedAt: Generated<Date>;
}

export interface DB {
  calendarEntries: CalendarEntryTable;
  brandPlanning: BrandPlanningTable;
}

export type BrandPlanningRow = Selectable<BrandPlanningTable>;

export type CalendarEntryRow = Selectable<CalendarEntryTable>;
export type CalendarEntryConnectionModel = Connection<CalendarEntryRow>;
/** A brand as this subgraph knows it: by reference only. */
export interface BrandRef {
  id: string;
}
