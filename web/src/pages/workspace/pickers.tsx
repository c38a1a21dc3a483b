import { useQuery } from '@apollo/client/react';
import { Button, NativeSelect, Stack } from '@mantine/core';
import { WebWsBrandOptionsDocument, WebWsContentOptionsDocument, WebWsProjectOptionsDocument, type Channel } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { CHANNEL_LABELS, OPTIONS_PAGE_SIZE, useLoadMore } from './shared';

interface PickerProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: React.ReactNode;
  required?: boolean;
  description?: React.ReactNode;
}

interface Option {
  value: string;
  label: string;
}

/** A NativeSelect over a paginated list: a first choice that says what to do (or why there is nothing), a "More" button. */
function PagedSelect({ label, value, onChange, error, required, description, options, loading, loadError, empty, prompt, more, moreLabel }: PickerProps & {
  options: Option[];
  loading: boolean;
  loadError: unknown;
  empty: string;
  prompt: string;
  more: { hasNextPage: boolean; loading: boolean; loadMore: () => Promise<void> };
  moreLabel: string;
}) {
  const first = loading ? 'Loading…' : options.length ? prompt : empty;
  return (
    <Stack gap={4} align="stretch">
      <NativeSelect
        label={label}
        description={description}
        required={required ?? false}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        error={error ?? (loadError ? errorMessage(loadError) : undefined)}
        data={[{ value: '', label: first }, ...options]}
      />
      {more.hasNextPage ? (
        <Button variant="subtle" size="compact-sm" style={{ alignSelf: 'flex-start' }} loading={more.loading} onClick={() => void more.loadMore()}>
          {moreLabel}
        </Button>
      ) : null}
    </Stack>
  );
}

/** One of the organization's brands. */
export function BrandSelect(props: PickerProps) {
  const { data, loading, error, fetchMore } = useQuery(WebWsBrandOptionsDocument, { variables: { first: OPTIONS_PAGE_SIZE } });
  const more = useLoadMore(fetchMore, data, (d) => d.brands, (d, brands) => ({ ...d, brands }));
  const options = (data?.brands.nodes ?? []).map((brand) => ({ value: brand.id, label: brand.name }));
  return (
    <PagedSelect {...props} options={options} loading={loading && !data} loadError={error} empty="No brands yet" prompt="Choose a brand" more={more} moreLabel="More brands" />
  );
}

/** One of a brand's projects (nothing to choose until a brand is chosen). */
export function ProjectSelect({ brandId, ...props }: PickerProps & { brandId: string }) {
  const { data, loading, error, fetchMore } = useQuery(WebWsProjectOptionsDocument, { variables: { brandId, first: OPTIONS_PAGE_SIZE }, skip: !brandId });
  const more = useLoadMore(fetchMore, data, (d) => d.brand?.projects, (d, projects) => (d.brand ? { ...d, brand: { ...d.brand, projects } } : d));
  const options = (data?.brand?.projects.nodes ?? []).map((project) => ({ value: project.id, label: project.name }));
  return (
    <PagedSelect
      {...props}
      options={options}
      loading={Boolean(brandId) && loading && !data}
      loadError={error}
      empty={brandId ? 'This brand has no projects yet' : 'Choose a brand first'}
      prompt="Choose a project"
      more={more}
      moreLabel="More projects"
    />
  );
}

/** One of the organization's pieces of content; `onChange` also hands over the content's channel. */
export function ContentSelect({ onChange, ...props }: Omit<PickerProps, 'onChange'> & { onChange: (value: string, channel: Channel | null) => void }) {
  const { data, loading, error, fetchMore } = useQuery(WebWsContentOptionsDocument, { variables: { first: OPTIONS_PAGE_SIZE } });
  const more = useLoadMore(fetchMore, data, (d) => d.contents, (d, contents) => ({ ...d, contents }));
  const nodes = data?.contents.nodes ?? [];
  const options = nodes.map((content) => ({ value: content.id, label: `${content.title} (${CHANNEL_LABELS[content.channel]})` }));
  return (
    <PagedSelect
      {...props}
      onChange={(value) => onChange(value, nodes.find((content) => content.id === value)?.channel ?? null)}
      options={options}
      loading={loading && !data}
      loadError={error}
      empty="No content yet"
      prompt="Choose content"
      more={more}
      moreLabel="More content"
    />
  );
}
