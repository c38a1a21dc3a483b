import { useQuery } from '@apollo/client/react';
import { Anchor, Button, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useNavigate } from 'react-router';
import { ROLES, useCan } from '../../auth/auth-context';
import { LoadMore, PageHeader, QueryState } from '../../components/page';
import { WebWsBrandsDocument } from '../../generated/graphql';
import { NewBrandModal } from './forms';
import { DataTable, formatDate, PAGE_SIZE, useLoadMore } from './shared';

/** /brands: the organization's brands, oldest first, and "New brand" for those who may create one. */
export function BrandsPage() {
  const canEdit = useCan(ROLES.brandEditors);
  const navigate = useNavigate();
  const [opened, { open, close }] = useDisclosure(false);
  const { data, loading, error, refetch, fetchMore } = useQuery(WebWsBrandsDocument, { variables: { first: PAGE_SIZE } });
  const more = useLoadMore(fetchMore, data, (d) => d.brands, (d, brands) => ({ ...d, brands }));
  const brands = data?.brands.nodes ?? [];

  return (
    <>
      <PageHeader
        title="Brands"
        description="The brands your organization markets, with their projects and calendars."
        actions={canEdit ? <Button onClick={open}>New brand</Button> : null}
      />
      <QueryState
        loading={loading && !data}
        error={error}
        retry={() => void refetch()}
        empty={brands.length === 0}
        emptyText={canEdit ? 'No brands yet: create the first one with “New brand”.' : 'No brands yet.'}
      >
        <DataTable label="Brands" head={['Name', 'Website', 'Industry', 'Created']}>
          {brands.map((brand) => (
            <Table.Tr key={brand.id}>
              <Table.Td>
                <Anchor component={Link} to={`/brands/${brand.id}`} fw={600}>
                  {brand.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {brand.website ? (
                  <Anchor href={brand.website} target="_blank" rel="noreferrer noopener">
                    {brand.website.replace(/^https?:\/\//, '')}
                  </Anchor>
                ) : (
                  <Text c="dimmed" size="sm">—</Text>
                )}
              </Table.Td>
              <Table.Td>{brand.industry ?? <Text c="dimmed" size="sm">—</Text>}</Table.Td>
              <Table.Td>{formatDate(brand.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
        <LoadMore hasNextPage={more.hasNextPage} loading={more.loading} onLoadMore={more.loadMore} />
      </QueryState>
      {canEdit ? <NewBrandModal opened={opened} onClose={close} onCreated={(brand) => void navigate(`/brands/${brand.id}`)} /> : null}
    </>
  );
}
