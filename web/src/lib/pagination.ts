import type { ObservableQuery, OperationVariables } from '@apollo/client';

/** A connection as a query returns it. */
export interface Page<N = unknown> {
  nodes: N[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Loads the page after `read(data)` (a connection anywhere in the query's answer, nested ones included) and appends
 * its nodes to the list shown; `write` puts the merged connection back in place. The query must take an `after`
 * variable. Resolves at once when there is no next page.
 */
export function fetchNextPage<TData, TVariables extends OperationVariables, N>(
  fetchMore: ObservableQuery<TData, TVariables>['fetchMore'],
  data: TData | undefined,
  read: (data: TData) => Page<N> | undefined,
  write: (data: TData, page: Page<N>) => TData,
) {
  const cursor = data ? read(data)?.pageInfo.endCursor : undefined;
  if (!cursor) return Promise.resolve();
  return fetchMore({
    variables: { after: cursor } as unknown as Partial<TVariables>,
    updateQuery: (previous, { fetchMoreResult }) => {
      const before = previous ? read(previous) : undefined;
      const next = fetchMoreResult ? read(fetchMoreResult) : undefined;
      if (!before || !next) return previous;
      return write(previous, { ...next, nodes: [...before.nodes, ...next.nodes] });
    },
  });
}

/** fetchNextPage for a root connection field (`field`) of the query. */
export function loadNextPage<TData extends { [K in F]: Page }, F extends string, TVariables extends OperationVariables>(
  fetchMore: ObservableQuery<TData, TVariables>['fetchMore'],
  data: TData | undefined,
  field: F,
) {
  return fetchNextPage<TData, TVariables, unknown>(fetchMore, data, (d) => d[field], (d, page) => ({ ...d, [field]: page }));
}
