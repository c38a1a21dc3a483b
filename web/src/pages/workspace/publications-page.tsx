import { useQuery } from '@apollo/client/react';
import { Anchor, Button, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { ROLES, useCan } from '../../auth/auth-context';
import { LoadMore, PageHeader, QueryState } from '../../components/page';
import { WebWsPublicationsDocument } from '../../generated/graphql';
import { SchedulePublicationModal } from './forms';
import { CHANNEL_LABELS, DataTable, formatDateTime, PAGE_SIZE, StatusBadge, useLoadMore } from './shared';

/** /publications: the organization's publications, soonest first; "Schedule a publication" for those who may. */
export function PublicationsPage() {
  const canSchedule = useCan(ROLES.brandEditors);
  const [opened, { open, close }] = useDisclosure(false);
  const { data, loading, error, refetch, fetchMore } = useQuery(WebWsPublicationsDocument, { variables: { first: PAGE_SIZE } });
  const more = useLoadMore(fetchMore, data, (d) => d.publications, (d, publications) => ({ ...d, publications }));
  const publications = data?.publications.nodes ?? [];

  return (
    <>
      <PageHeader
        title="Publications"
        description="Content going out on a channel at a set time."
        actions={canSchedule ? <Button onClick={open}>Schedule a publication</Button> : null}
      />
      <QueryState
        loading={loading && !data}
        error={error}
        retry={() => void refetch()}
        empty={publications.length === 0}
        emptyText={canSchedule ? 'Nothing scheduled yet: schedule content with “Schedule a publication”.' : 'Nothing scheduled yet.'}
      >
        <DataTable label="Publications" head={['When', 'Content', 'Channel', 'Status', 'Published at']}>
          {publications.map((publication) => (
            <Table.Tr key={publication.id}>
              <Table.Td>{formatDateTime(publication.scheduledAt)}</Table.Td>
              <Table.Td fw={600}>{publication.content?.title ?? <Text c="dimmed" size="sm">Not visible</Text>}</Table.Td>
              <Table.Td>{CHANNEL_LABELS[publication.channel]}</Table.Td>
              <Table.Td>
                <StatusBadge status={publication.status} />
              </Table.Td>
              <Table.Td>
                {publication.externalUrl ? (
                  <Anchor href={publication.externalUrl} target="_blank" rel="noreferrer noopener" size="sm">
                    View on the platform
                  </Anchor>
                ) : (
                  <Text c="dimmed" size="sm">
                    Not yet
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
        <LoadMore hasNextPage={more.hasNextPage} loading={more.loading} onLoadMore={more.loadMore} />
      </QueryState>
      {canSchedule ? <SchedulePublicationModal opened={opened} onClose={close} /> : null}
    </>
  );
}
