import { Alert, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useEffect, useId, type ReactNode } from 'react';
import { errorMessage } from '../lib/errors';

/** A page's title (in the tab and as its heading) and its main actions. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Ultimate Marketing Team`;
  }, [title]);
  return (
    <Group justify="space-between" align="flex-start" mb="lg" wrap="wrap">
      <Stack gap={4}>
        <Title order={1} size="h2">
          {title}
        </Title>
        {description ? <Text c="dimmed">{description}</Text> : null}
      </Stack>
      {actions ? <Group>{actions}</Group> : null}
    </Group>
  );
}

/** Loading, failed or empty: what a list or a detail shows before (or instead of) its data. */
export function QueryState({ loading, error, empty, emptyText, retry, children }: { loading: boolean; error?: unknown; empty?: boolean; emptyText?: ReactNode; retry?: () => void; children?: ReactNode }) {
  if (error) {
    return (
      <Alert color="red" title="Could not load this" role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{errorMessage(error)}</Text>
          {retry ? (
            <Button size="xs" variant="light" color="red" onClick={retry}>
              Try again
            </Button>
          ) : null}
        </Stack>
      </Alert>
    );
  }
  if (loading) {
    return (
      <Center py="xl" aria-busy="true">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (empty) {
    return (
      <Text c="dimmed" py="md">
        {emptyText ?? 'Nothing here yet.'}
      </Text>
    );
  }
  return <>{children}</>;
}

/** The "more" button of a cursor-paginated list. */
export function LoadMore({ hasNextPage, loading, onLoadMore }: { hasNextPage: boolean | undefined; loading?: boolean; onLoadMore: () => unknown }) {
  if (!hasNextPage) return null;
  return (
    <Center mt="md">
      <Button variant="default" loading={loading ?? false} onClick={() => void onLoadMore()}>
        Load more
      </Button>
    </Center>
  );
}

/** A form's error that names no field. */
export function FormAlert({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert">
      {message}
    </Alert>
  );
}

/** A titled section of a page (an h2 under the page's h1), labelled by its heading. */
export function Section({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <Group justify="space-between" align="flex-end" mb="sm" wrap="wrap">
        <Title order={2} size="h3" id={id}>
          {title}
        </Title>
        {actions ? <Group gap="sm">{actions}</Group> : null}
      </Group>
      {children}
    </section>
  );
}
