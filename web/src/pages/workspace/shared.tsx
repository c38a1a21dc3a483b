import type { ApolloCache, ObservableQuery, OperationVariables, Reference, StoreObject } from '@apollo/client';
import { Badge, Table, type TableProps } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { CalendarEntryStatus, Channel, ContentStatus, ProjectStatus, ProjectType, PublicationStatus } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { notifications } from '@mantine/notifications';
import { humanize } from '../../lib/format';
import { fetchNextPage, type Page } from '../../lib/pagination';

/** Items per page of a list. */
export const PAGE_SIZE = 20;
/** Items per page of a picker's choices (the API's largest page). */
export const OPTIONS_PAGE_SIZE = 100;

export const CHANNEL_LABELS: Record<Channel, string> = {
  BLOG: 'Blog',
  EMAIL: 'Email',
  LINKEDIN: 'LinkedIn',
  X: 'X',
  FACEBOOK: 'Facebook',
  INSTAGRAM: 'Instagram',
  TIKTOK: 'TikTok',
};

export const PROJECT_TYPE_LABELS: Record<ProjectType, string> = {
  BLOG: 'Blog',
  SOCIAL_POST: 'Social post',
  EMAIL: 'Email',
  LANDING_PAGE: 'Landing page',
  AD_COPY: 'Ad copy',
};

/** Choices for a NativeSelect, from a label map (in the map's order). */
export function choices<T extends string>(labels: Record<T, string>): { value: T; label: string }[] {
  return (Object.entries(labels) as [T, string][]).map(([value, label]) => ({ value, label }));
}

type AnyStatus = ProjectStatus | CalendarEntryStatus | ContentStatus | PublicationStatus;

const STATUS_COLORS: Partial<Record<AnyStatus, string>> = {
  DRAFT: 'gray',
  PLANNED: 'blue',
  IN_PROGRESS: 'blue',
  SCHEDULED: 'indigo',
  PUBLISHING: 'indigo',
  REVIEW: 'yellow',
  APPROVED: 'teal',
  PUBLISHED: 'green',
  DONE: 'green',
  FAILED: 'red',
  CANCELLED: 'gray',
};


/** A status as a badge (its text is the status, so colour is never the only cue). */
export function StatusBadge({ status }: { status: AnyStatus }) {
  // Light badges with dark text keep 4.5:1 contrast.
  return (
    <Badge variant="light" color={STATUS_COLORS[status] ?? 'gray'} c="dark.7">
      {humanize(status)}
    </Badge>
  );
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

export const formatDateTime = (iso: string) => dateTimeFormat.format(new Date(iso));
export const formatDate = (iso: string) => dateFormat.format(new Date(iso));
export const formatDay = (iso: string) => dayFormat.format(new Date(iso));
export const formatTime = (iso: string) => timeFormat.format(new Date(iso));

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar day of an instant, as YYYY-MM-DD (to group an agenda by day). */
export function localDay(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A value for an `<input type="datetime-local">`: tomorrow at `hour` local time. */
export function tomorrowAt(hour: number): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hour)}:00`;
}

/** An `<input type="datetime-local">` value (local time) as an ISO instant, or null when it is not a date. */
export function localDateTimeToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An `<input type="date">` value as the ISO instant of that day's start (local time), or null. */
export function localDateToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  return localDateTimeToIso(`${value}T00:00`);
}

/** Checks a form makes before sending (the server checks again). */
export const check = {
  required: (label: string) => (value: string) => (value.trim() ? null : `${label} is required.`),
  maxLength: (label: string, max: number) => (value: string) => (value.trim().length <= max ? null : `${label} must be at most ${max} characters.`),
  /** Empty, or an absolute http(s) URL. */
  optionalHttpUrl: (value: string) => {
    const text = value.trim();
    if (!text) return null;
    try {
      const url = new URL(text);
      return url.protocol === 'http:' || url.protocol === 'https:' ? null : 'Enter an http:// or https:// address.';
    } catch {
      return 'Enter a full address, e.g. https://example.com.';
    }
  },
  dateTime: (label: string, { future }: { future: boolean }) => (value: string) => {
    const iso = localDateTimeToIso(value);
    if (!iso) return `${label} is required.`;
    if (future && Date.parse(iso) < Date.now()) return `${label} must not be in the past.`;
    return null;
  },
  /** Each check in turn; the first message wins. */
  all:
    (...checks: ((value: string) => string | null)[]) =>
    (value: string) => {
      for (const run of checks) {
        const message = run(value);
        if (message) return message;
      }
      return null;
    },
};

interface StoredConnection {
  nodes: readonly Reference[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/**
 * Puts a node a mutation just made into a cached connection (every stored variant of `field` on `parent`), at its
 * place in the list's order (`sortKey` ascending): lists show it at once, without refetching the pages loaded so far.
 * A node that sorts after the last loaded one of a list with more pages is left for "Load more" to bring.
 */
export function insertIntoConnection(cache: ApolloCache, { parent, field, node, sortKey }: { parent: string | undefined; field: string; node: StoreObject; sortKey: string }) {
  if (!parent) return;
  cache.modify({
    id: parent,
    fields: {
      [field]: (value: unknown, { readField, toReference }) => {
        const existing = value as StoredConnection | undefined;
        const ref = toReference(node);
        if (!existing?.nodes || !ref) return value;
        if (existing.nodes.some((n) => n.__ref === ref.__ref)) return value;
        const key = readField<string>(sortKey, ref);
        let index = existing.nodes.length;
        if (key !== undefined) {
          const after = existing.nodes.findIndex((n) => {
            const other = readField<string>(sortKey, n);
            return other !== undefined && Date.parse(other) > Date.parse(key);
          });
          if (after >= 0) index = after;
        }
        if (index === existing.nodes.length && existing.pageInfo.hasNextPage) return value;
        const nodes = [...existing.nodes];
        nodes.splice(index, 0, ref);
        return { ...existing, nodes };
      },
    },
  });
}


/**
 * "Load more" for a connection nested in a query (e.g. `brand.projects`): `read` finds it in the data, `write`
 * puts a longer one back. Returns the button's loading state and its handler.
 */
export function useLoadMore<TData, TVariables extends OperationVariables, N>(
  fetchMore: ObservableQuery<TData, TVariables>['fetchMore'],
  data: TData | undefined,
  read: (data: TData) => Page<N> | undefined,
  write: (data: TData, page: Page<N>) => TData,
) {
  const [loading, setLoading] = useState(false);
  const page = data ? read(data) : undefined;
  const loadMore = async () => {
    if (!page?.pageInfo.endCursor || loading) return;
    setLoading(true);
    try {
      await fetchNextPage(fetchMore, data, read, write);
    } catch (error) {
      notifyFailure(error);
    } finally {
      setLoading(false);
    }
  };
  return { hasNextPage: page?.pageInfo.hasNextPage ?? false, loading, loadMore };
}

/**
 * A table with an accessible name that scrolls sideways on a narrow screen; the scrolling region can take the focus
 * (keyboard users scroll it too) and carries the same name.
 */
export function DataTable({ label, minWidth = 640, head, children, ...props }: { label: string; minWidth?: number; head: ReactNode[]; children: ReactNode } & Omit<TableProps, 'children'>) {
  return (
    <Table.ScrollContainer type="native" minWidth={minWidth} tabIndex={0} role="region" aria-label={label}>
      <Table aria-label={label} striped highlightOnHover verticalSpacing="sm" {...props}>
        <Table.Thead>
          <Table.Tr>
            {head.map((cell, index) => (
              <Table.Th key={index} scope="col">
                {cell}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A short confirmation after a change (a status message, not an alert). */
export function notifyDone(message: string) {
  notifications.show({ color: 'green', message, role: 'status', closeButtonProps: { 'aria-label': 'Dismiss' } });
}

/** A failure outside a form (e.g. loading more of a list). */
export function notifyFailure(error: unknown) {
  notifications.show({ color: 'red', title: 'That did not work', message: errorMessage(error), closeButtonProps: { 'aria-label': 'Dismiss' } });
}
