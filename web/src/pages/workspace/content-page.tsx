import { useQuery } from '@apollo/client/react';
import { Anchor, Button, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link } from 'react-router';
import { ROLES, useCan } from '../../auth/auth-context';
import { LoadMore, PageHeader, QueryState } from '../../components/page';
import { WebWsContentsDocument } from '../../generated/graphql';
import { NewContentModal } from './forms';
import { CHANNEL_LABELS, DataTable, formatDate, PAGE_SIZE, StatusBadge, useLoadMore } from './shared';

/** /content: the organization's content, oldest first; "New content" for those who may write it. */
export function ContentPage() {
  const canWrite = useCan(ROLES.contentEditors);
  const [opened, { open, close }] = useDisclosure(false);
  const { data, loading, error, refetch, fetchMore } = useQuery(WebWsContentsDocument, { variables: { first: PAGE_SIZE } });
  const more = useLoadMore(fetchMore, data, (d) => d.contents, (d, contents) => ({ ...d, contents }));
  const contents = data?.contents.nodes ?? [];

  return (
    <>
      <PageHeader
        title="Content"
        description="Posts, emails and articles written for your projects."
        actions={canWrite ? <Button onClick={open}>New content</Button> : null}
      />
      <QueryState
        loading={loading && !data}
        error={error}
        retry={() => void refetch()}
        empty={contents.length === 0}
        emptyText={canWrite ? 'No content yet: write the first piece with “New content”.' : 'No content yet.'}
      >
        <DataTable label="Content" minWidth={760} head={['Title', 'Channel', 'Status', 'Brand and project', 'Created']}>
          {contents.map((content) => (
            <Table.Tr key={content.id}>
              <Table.Td maw={360}>
                <Text fw={600} size="sm">
                  {content.title}
                </Text>
                {content.body ? (
                  <Text size="sm" c="dimmed" lineClamp={2}>
                    {content.body}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{CHANNEL_LABELS[content.channel]}</Table.Td>
              <Table.Td>
                <StatusBadge status={content.status} />
              </Table.Td>
              <Table.Td>
                {content.project ? (
                  <>
                    <Anchor component={Link} to={`/brands/${content.project.brand.id}`} size="sm">
                      {content.project.brand.name}
                    </Anchor>
                    <Text size="sm">{content.project.name}</Text>
                  </>
                ) : (
                  <Text size="sm" c="dimmed">
                    Not visible
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{formatDate(content.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
        <LoadMore hasNextPage={more.hasNextPage} loading={more.loading} onLoadMore={more.loadMore} />
      </QueryState>
      {canWrite ? <NewContentModal opened={opened} onClose={close} /> : null}
    </>
  );
}
