import { useQuery } from '@apollo/client/react';
import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ROLES, useCan } from '../../auth/auth-context';
import { LoadMore, PageHeader, QueryState } from '../../components/page';
import { WebWsBrandCalendarDocument, WebWsBrandOptionsDocument, type WebWsBrandCalendarQuery } from '../../generated/graphql';
import { PlanEntryModal } from './forms';
import { BrandSelect } from './pickers';
import { CHANNEL_LABELS, formatDay, formatTime, localDay, OPTIONS_PAGE_SIZE, PAGE_SIZE, StatusBadge, useLoadMore } from './shared';

type Entry = NonNullable<WebWsBrandCalendarQuery['brand']>['calendar']['nodes'][number];

/** Entries (soonest first) grouped by their local day, in order. */
function byDay(entries: readonly Entry[]): { day: string; entries: Entry[] }[] {
  const days: { day: string; entries: Entry[] }[] = [];
  for (const entry of entries) {
    const day = localDay(entry.scheduledAt);
    const last = days[days.length - 1];
    if (last?.day === day) last.entries.push(entry);
    else days.push({ day, entries: [entry] });
  }
  return days;
}

/** /calendar: one brand's calendar (chosen in a list, kept in the address), as an agenda grouped by day. */
export function CalendarPage() {
  const canEdit = useCan(ROLES.brandEditors);
  const [params, setParams] = useSearchParams();
  const brandId = params.get('brand') ?? '';
  const [opened, { open, close }] = useDisclosure(false);
  const options = useQuery(WebWsBrandOptionsDocument, { variables: { first: OPTIONS_PAGE_SIZE } });
  const firstBrand = options.data?.brands.nodes[0]?.id;

  // With no brand in the address, show the first one.
  useEffect(() => {
    if (!brandId && firstBrand) setParams({ brand: firstBrand }, { replace: true });
  }, [brandId, firstBrand, setParams]);

  const noBrands = options.data?.brands.nodes.length === 0;
  return (
    <>
      <PageHeader
        title="Calendar"
        description="What goes out on which channel, and when, brand by brand."
        actions={canEdit && brandId ? <Button onClick={open}>Plan an entry</Button> : null}
      />
      <QueryState loading={options.loading && !options.data} error={options.error} retry={() => void options.refetch()} empty={noBrands} emptyText={<NoBrands />}>
        <Stack maw={420} mb="lg">
          <BrandSelect label="Brand" value={brandId} onChange={(value) => setParams(value ? { brand: value } : {})} />
        </Stack>
        {brandId ? <Agenda brandId={brandId} canEdit={canEdit} /> : null}
      </QueryState>
      {canEdit && brandId ? <PlanEntryModal key={brandId} brandId={brandId} opened={opened} onClose={close} /> : null}
    </>
  );
}

function NoBrands() {
  return (
    <>
      No brands yet: a calendar belongs to a brand.{' '}
      <Anchor component={Link} to="/brands">
        Go to the brands
      </Anchor>
    </>
  );
}

function Agenda({ brandId, canEdit }: { brandId: string; canEdit: boolean }) {
  const { data, loading, error, refetch, fetchMore } = useQuery(WebWsBrandCalendarDocument, { variables: { brandId, first: PAGE_SIZE } });
  const more = useLoadMore(fetchMore, data, (d) => d.brand?.calendar, (d, calendar) => (d.brand ? { ...d, brand: { ...d.brand, calendar } } : d));
  const entries = data?.brand?.calendar.nodes ?? [];
  return (
    <QueryState
      loading={loading && !data}
      error={error}
      retry={() => void refetch()}
      empty={entries.length === 0}
      emptyText={canEdit ? 'Nothing planned for this brand yet: add an entry with “Plan an entry”.' : 'Nothing planned for this brand yet.'}
    >
      <Stack gap="lg">
        {byDay(entries).map(({ day, entries: dayEntries }) => {
          const headingId = `day-${day}`;
          return (
            <section key={day} aria-labelledby={headingId}>
              <Title order={2} size="h4" id={headingId} mb="xs">
                {formatDay(dayEntries[0]!.scheduledAt)}
              </Title>
              <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
                {dayEntries.map((entry) => (
                  <Paper component="li" key={entry.id} withBorder p="sm" radius="md">
                    <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
                      <Stack gap={2} style={{ minWidth: 0, flex: '1 1 16rem' }}>
                        <Text fw={600}>{entry.title}</Text>
                        {entry.notes ? (
                          <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                            {entry.notes}
                          </Text>
                        ) : null}
                      </Stack>
                      <Group gap="xs" wrap="wrap">
                        <Text size="sm" fw={500}>
                          <time dateTime={entry.scheduledAt}>{formatTime(entry.scheduledAt)}</time>
                        </Text>
                        <Badge variant="outline" color="gray" c="dark.7">
                          {CHANNEL_LABELS[entry.channel]}
                        </Badge>
                        <StatusBadge status={entry.status} />
                      </Group>
                    </Group>
                  </Paper>
                ))}
              </Stack>
            </section>
          );
        })}
      </Stack>
      <LoadMore hasNextPage={more.hasNextPage} loading={more.loading} onLoadMore={more.loadMore} />
    </QueryState>
  );
}
