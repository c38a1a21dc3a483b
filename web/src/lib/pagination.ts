import type { ObservableQuery, OperationVariables } from '@apollo/client';

interface Page {
  nodes: readonly unknown[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/**
 * Loads the page after the last one of a root connection field (`field`) and appends its nodes to the list shown.
 * The query must take an `after` variable.
 */
export function loadNextPage<TData extends { [K in F]: Page }, F extends string, TVariables extends OperationVariables>(
  fetchMore: ObservableQuery<TData, TVariables>['fetchMore'],
  data: TData | undefined,
  field: F,
) {
  const cursor = data?.[field].pageInfo.endCursor;
  if (!cursor) return Promise.resolve();
  return fetchMore({
    variables: { after: cursor } as unknown as Partial<TVariables>,
    updateQuery: (previous, { fetchMoreResult }) => {
      if (!fetchMoreResult || !previous) return previous;
      const before = previous;
      return { ...before, [field]: { ...fetchMoreResult[field], nodes: [...before[field].nodes, ...fetchMoreResult[field].nodes] } };
    },
  });
}
