import { useQuery } from '@apollo/client/react';
import { Alert, Anchor, Badge, Button, DataList, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ROLES, useCan } from '../../auth/auth-context';
import { LoadMore, PageHeader, QueryState } from '../../components/page';
import { WebWsBrandCalendarDocument, WebWsBrandDocument, WebWsBrandProjectsDocument, type WebWsBrandQuery } from '../../generated/graphql';
import { NewProjectModal, PlanEntryModal } from './forms';
import { CHANNEL_LABELS, DataTable, formatDate, formatDateTime, PAGE_SIZE, PROJECT_TYPE_LABELS, StatusBadge, useLoadMore } from './shared';

/** A section of a page: its h2 and its actions. */
export function Section({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <Stack component="section" gap="sm" mt="xl" aria-labelledby={id}>
      <Group justify="space-between" wrap="wrap">
        <Title order={2} size="h3" id={id}>
          {title}
        </Title>
        {actions ? <Group gap="xs">{actions}</Group> : null}
      </Group>
      {children}
    </Stack>
  );
}

/** /brands/:brandId: the brand, its projects and its calendar. */
export function BrandPage() {
  const { brandId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(WebWsBrandDocument, { variables: { id: brandId } });
  const brand = data?.brand;

  if (!brand) {
    return (
      <>
        <PageHeader title={loading || error ? 'Brand' : 'Brand not found'} />
        <QueryState loading={loading && !data} error={error} retry={() => void refetch()}>
          <Alert color="yellow" title="There is no such brand">
            It may belong to another organization, or the link is wrong.{' '}
            <Anchor component={Link} to="/brands">
              See all brands
            </Anchor>
          </Alert>
        </QueryState>
      </>
    );
  }
  return <BrandDetails brand={brand} />;
}

function BrandDetails({ brand }: { brand: NonNullable<WebWsBrandQuery['brand']> }) {
  return (
    <>
      <Anchor component={Link} to="/brands" size="sm">
        <span aria-hidden="true">← </span>All brands
      </Anchor>
      <PageHeader title={brand.name} description={brand.industry ?? undefined} />
      <Paper withBorder p="md" radius="md">
        <DataList style={{ overflowWrap: 'anywhere' }}>
          <DataList.Item>
            <DataList.ItemLabel>Website</DataList.ItemLabel>
            <DataList.ItemValue>
              {brand.website ? (
                <Anchor href={brand.website} target="_blank" rel="noreferrer noopener">
                  {brand.website}
                </Anchor>
              ) : (
                'Not set'
              )}
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Industry</DataList.ItemLabel>
            <DataList.ItemValue>{brand.industry ?? 'Not set'}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Voice</DataList.ItemLabel>
            <DataList.ItemValue style={{ whiteSpace: 'pre-wrap' }}>{brand.voice ?? 'Not set'}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Created</DataList.ItemLabel>
            <DataList.ItemValue>{formatDateTime(brand.createdAt)}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Planning</DataList.ItemLabel>
            <DataList.ItemValue>
              {brand.planning ? `Planning space ready since ${formatDateTime(brand.planning.preparedAt)}` : 'The planning space is being prepared.'}
            </DataList.ItemValue>
          </DataList.Item>
        </DataList>
      </Paper>
      <BrandProjects brandId={brand.id} />
      <BrandCalendar brandId={brand.id} />
    </>
  );
}

function BrandProjects({ brandId }: { brandId: string }) {
  const canEdit = useCan(ROLES.brandEditors);
  const [opened, { open, close }] = useDisclosure(false);
  const { data, loading, error, refetch, fetchMore } = useQuery(WebWsBrandProjectsDocument, { variables: { brandId, first: PAGE_SIZE } });
  const more = useLoadMore(fetchMore, data, (d) => d.brand?.projects, (d, projects) => (d.brand ? { ...d, brand: { ...d.brand, projects } } : d));
  const projects = data?.brand?.projects.nodes ?? [];
  return (
    <Section title="Projects" actions={canEdit ? <Button onClick={open}>New project</Button> : null}>
      <QueryState
        loading={loading && !data}
        error={error}
        retry={() => void refetch()}
        empty={projects.length === 0}
        emptyText={canEdit ? 'No projects yet: start one with “New project”.' : 'No projects yet.'}
      >
        <DataTable label="Projects" head={['Name', 'Type', 'Status', 'Due']}>
          {projects.map((project) => (
            <Table.Tr key={project.id}>
              <Table.Td fw={600}>{project.name}</Table.Td>
              <Table.Td>{PROJECT_TYPE_LABELS[project.type]}</Table.Td>
              <Table.Td>
                <StatusBadge status={project.status} />
              </Table.Td>
              <Table.Td>{project.dueAt ? formatDate(project.dueAt) : 'No due date'}</Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
        <LoadMore hasNextPage={more.hasNextPage} loading={more.loading} onLoadMore={more.loadMore} />
      </QueryState>
      {canEdit ? <NewProjectModal brandId={brandId} opened={opened} onClose={close} /> : null}
    </Section>
  );
}

function BrandCalendar({ brandId }: { brandId: string }) {
  const canEdit = useCan(ROLES.brandEditors);
  const [opened, { open, close }] = useDisclosure(false);
  const { data, loading, error, refetch, fetchMore } = useQuery(WebWsBrandCalendarDocument, { variables: { brandId, first: PAGE_SIZE } });
  const more = useLoadMore(fetchMore, data, (d) => d.brand?.calendar, (d, calendar) => (d.brand ? { ...d, brand: { ...d.brand, calendar } } : d));
  const entries = data?.brand?.calendar.nodes ?? [];
  return (
    <Section
      title="Calendar"
      actions={
        <>
          <Button component={Link} to={`/calendar?brand=${brandId}`} variant="default">
            Open in calendar
          </Button>
          {canEdit ? <Button onClick={open}>Plan an entry</Button> : null}
        </>
      }
    >
      <QueryState
        loading={loading && !data}
        error={error}
        retry={() => void refetch()}
        empty={entries.length === 0}
        emptyText={canEdit ? 'Nothing planned yet: add an entry with “Plan an entry”.' : 'Nothing planned yet.'}
      >
        <DataTable label="Calendar entries" head={['When', 'Channel', 'Title', 'Status']}>
          {entries.map((entry) => (
            <Table.Tr key={entry.id}>
              <Table.Td>{formatDateTime(entry.scheduledAt)}</Table.Td>
              <Table.Td>
                <Badge variant="outline" color="gray" c="dark.7">
                  {CHANNEL_LABELS[entry.channel]}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text fw={600} size="sm">
                  {entry.title}
                </Text>
                {entry.notes ? (
                  <Text size="sm" c="dimmed" lineClamp={2}>
                    {entry.notes}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <StatusBadge status={entry.status} />
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
        <LoadMore hasNextPage={more.hasNextPage} loading={more.loading} onLoadMore={more.loadMore} />
      </QueryState>
      {canEdit ? <PlanEntryModal brandId={brandId} opened={opened} onClose={close} /> : null}
    </Section>
  );
}
