import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Anchor, Button, Group, Modal, NativeSelect, PasswordInput, SimpleGrid, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ROLES, useCan } from '../../auth/auth-context';
import { FormAlert, LoadMore, PageHeader, QueryState, Section } from '../../components/page';
import {
  WebOpsBrandsDocument,
  WebOpsCheckPlatformConnectionDocument,
  WebOpsConnectPlatformWithApiKeyDocument,
  WebOpsDisconnectPlatformDocument,
  WebOpsPlatformConnectionsDocument,
  WebOpsPlatformProvidersDocument,
  WebOpsStartPlatformConnectionDocument,
  type ConnectionHealth,
  type OpsPlatformConnectionFragment,
  type WebOpsPlatformProvidersQuery,
} from '../../generated/graphql';
import { errorMessage, showServerErrors } from '../../lib/errors';
import { loadNextPage } from '../../lib/pagination';
import { userAction } from '../../lib/telemetry';
import { formatDateTime, notify, ScrollRegion, StateBadge, type Tone } from './shared';

type ProviderInfo = WebOpsPlatformProvidersQuery['platformProviders'][number];

/** Where the platform sends the person back: the gateway's callback page, which hands over to /connections/callback. */
export const OAUTH_CALLBACK_PATH = '/integrations/oauth/callback';

export const HEALTH: Record<ConnectionHealth, { label: string; tone: Tone; help: string }> = {
  HEALTHY: { label: 'Healthy', tone: 'good', help: 'The last check succeeded.' },
  DEGRADED: { label: 'Degraded', tone: 'warn', help: 'The platform is failing or rate-limiting right now; calls are retried.' },
  BROKEN: { label: 'Broken', tone: 'bad', help: 'The platform refuses the credentials: connect the account again.' },
};

export function HealthBadge({ health }: { health: ConnectionHealth }) {
  return <StateBadge tone={HEALTH[health].tone}>{HEALTH[health].label}</StateBadge>;
}

/** The organization's platform accounts, per brand: who is connected, how healthy, and (for brand editors) connect/disconnect. */
export function ConnectionsPage() {
  const [params, setParams] = useSearchParams();
  const canEdit = useCan(ROLES.brandEditors);
  const brands = useQuery(WebOpsBrandsDocument);
  const brandList = brands.data?.brands.nodes ?? [];
  const chosen = params.get('brand');
  const brand = brandList.find((b) => b.id === chosen) ?? brandList[0];

  return (
    <>
      <PageHeader title="Platform connections" description="The accounts each brand publishes to: social networks, email, CMS and ads." />
      <QueryState
        loading={brands.loading && !brands.data}
        error={brands.error}
        retry={() => void brands.refetch()}
        empty={brandList.length === 0}
        emptyText={
          <>
            No brand yet: connections belong to a brand.{' '}
            <Anchor component={Link} to="/brands">
              Create a brand first
            </Anchor>
            .
          </>
        }
      >
        <NativeSelect
          label="Brand"
          description="Connections are made for one brand."
          maw={420}
          mb="lg"
          data={brandList.map((b) => ({ value: b.id, label: b.name }))}
          value={brand?.id ?? ''}
          onChange={(event) => setParams({ brand: event.currentTarget.value }, { replace: true })}
        />
        {brand ? (
          <>
            <ConnectionList brandId={brand.id} brandName={brand.name} canEdit={canEdit} />
            {canEdit ? (
              <ConnectSection brandId={brand.id} brandName={brand.name} />
            ) : (
              <Alert color="gray" title="Read only">
                Your role can see the connections but not change them: brand managers, admins and owners connect accounts.
              </Alert>
            )}
          </>
        ) : null}
      </QueryState>
    </>
  );
}

function ConnectionList({ brandId, brandName, canEdit }: { brandId: string; brandName: string; canEdit: boolean }) {
  const { data, loading, error, refetch, fetchMore } = useQuery(WebOpsPlatformConnectionsDocument, { variables: { brandId } });
  const [loadingMore, setLoadingMore] = useState(false);
  const [disconnecting, setDisconnecting] = useState<OpsPlatformConnectionFragment | null>(null);
  const nodes = data?.platformConnections.nodes ?? [];
  const label = `Platform connections of ${brandName}`;

  return (
    <Section title="Connected accounts">
      <QueryState
        loading={loading && !data}
        error={error}
        retry={() => void refetch()}
        empty={nodes.length === 0}
        emptyText={`${brandName} has no connected account yet.`}
      >
        <ScrollRegion label={label}>
          <Table aria-label={label} striped highlightOnHover miw={640} verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" miw={110}>
                  Platform
                </Table.Th>
                <Table.Th scope="col">Account</Table.Th>
                <Table.Th scope="col" miw={110}>
                  Health
                </Table.Th>
                <Table.Th scope="col">Last checked</Table.Th>
                {canEdit ? (
                  <Table.Th scope="col">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                ) : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {nodes.map((connection) => (
                <ConnectionRow key={connection.id} connection={connection} canEdit={canEdit} onDisconnect={() => setDisconnecting(connection)} />
              ))}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
        <LoadMore
          hasNextPage={data?.platformConnections.pageInfo.hasNextPage}
          loading={loadingMore}
          onLoadMore={() => {
            setLoadingMore(true);
            return loadNextPage(fetchMore, data, 'platformConnections').finally(() => setLoadingMore(false));
          }}
        />
      </QueryState>
      <DisconnectDialog connection={disconnecting} onClose={() => setDisconnecting(null)} />
    </Section>
  );
}

/** How a connection is called in sentences and button names, e.g. "X account @acme (sandbox)". */
export function connectionName(connection: Pick<OpsPlatformConnectionFragment, 'provider' | 'accountName' | 'sandbox'>, providers?: ProviderInfo[]): string {
  const provider = providers?.find((p) => p.provider === connection.provider)?.displayName ?? providerName(connection.provider);
  return `${provider} account ${connection.accountName}${connection.sandbox ? ' (sandbox)' : ''}`;
}

const PROVIDER_NAMES: Record<string, string> = {
  LINKEDIN: 'LinkedIn',
  X: 'X',
  FACEBOOK: 'Facebook',
  MAILCHIMP: 'Mailchimp',
  WORDPRESS: 'WordPress',
  META_ADS: 'Meta Ads',
  GOOGLE_ADS: 'Google Ads',
};

export function providerName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}

function ConnectionRow({ connection, canEdit, onDisconnect }: { connection: OpsPlatformConnectionFragment; canEdit: boolean; onDisconnect: () => void }) {
  const [check, { loading: checking }] = useMutation(WebOpsCheckPlatformConnectionDocument);
  const name = connectionName(connection);
  const health = HEALTH[connection.health];

  const runCheck = () =>
    userAction('check platform connection', async () => {
      try {
        const result = await check({ variables: { id: connection.id } });
        const checked = result.data?.checkPlatformConnection;
        if (checked) notify({ title: `${name}: ${HEALTH[checked.health].label}.`, message: checked.lastError ?? HEALTH[checked.health].help, tone: HEALTH[checked.health].tone });
      } catch (error) {
        notify({ title: 'The check did not run.', message: errorMessage(error), tone: 'bad' });
      }
    });

  return (
    <Table.Tr>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <Text fw={600}>{providerName(connection.provider)}</Text>
          {connection.sandbox ? <StateBadge tone="accent">Sandbox</StateBadge> : null}
        </Stack>
      </Table.Td>
      <Table.Td>
        {connection.accountUrl ? (
          <Anchor href={connection.accountUrl} target="_blank" rel="noreferrer">
            {connection.accountName}
          </Anchor>
        ) : (
          <Text>{connection.accountName}</Text>
        )}
        <Text size="xs" c="dimmed">
          Connected {formatDateTime(connection.createdAt)}
          {connection.connectedBy ? ` by ${connection.connectedBy.name}` : ''}
        </Text>
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <HealthBadge health={connection.health} />
          {connection.health !== 'HEALTHY' ? (
            <Text size="xs">
              {connection.lastErrorCode ? <strong>{connection.lastErrorCode}: </strong> : null}
              {connection.lastError ?? health.help}
            </Text>
          ) : null}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatDateTime(connection.lastCheckedAt)}</Text>
      </Table.Td>
      {canEdit ? (
        <Table.Td>
          <Group gap="xs" wrap="nowrap" justify="flex-end">
            <Button size="xs" variant="default" loading={checking} onClick={() => void runCheck()}>
              Check now<VisuallyHidden>: {name}</VisuallyHidden>
            </Button>
            <Button size="xs" color="red.9" variant="outline" onClick={onDisconnect}>
              Disconnect<VisuallyHidden>: {name}</VisuallyHidden>
            </Button>
          </Group>
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
}

function DisconnectDialog({ connection, onClose }: { connection: OpsPlatformConnectionFragment | null; onClose: () => void }) {
  const [disconnect, { loading }] = useMutation(WebOpsDisconnectPlatformDocument, { refetchQueries: ['WebOpsPlatformConnections'], awaitRefetchQueries: true });
  const [problem, setProblem] = useState<string | null>(null);
  const name = connection ? connectionName(connection) : '';

  const confirm = () =>
    userAction('disconnect platform', async () => {
      if (!connection) return;
      setProblem(null);
      try {
        await disconnect({ variables: { id: connection.id } });
        notify({ title: 'Disconnected.', message: `The ${name} is disconnected.`, tone: 'good' });
        onClose();
      } catch (error) {
        setProblem(errorMessage(error));
      }
    });

  return (
    <Modal
      opened={Boolean(connection)}
      onClose={() => {
        setProblem(null);
        onClose();
      }}
      title={`Disconnect the ${name}?`}
    >
      <Stack>
        <Text size="sm">The platform's tokens are revoked where it offers that, and the stored credentials are deleted. Scheduled publications to this account will fail until it is connected again.</Text>
        <FormAlert message={problem} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red.9" loading={loading} onClick={() => void confirm()}>
            Disconnect
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The providers a brand editor can connect: OAuth ones go to the platform's consent page, API-key ones take a form. */
function ConnectSection({ brandId, brandName }: { brandId: string; brandName: string }) {
  const providers = useQuery(WebOpsPlatformProvidersDocument);
  const [start] = useMutation(WebOpsStartPlatformConnectionDocument);
  const [starting, setStarting] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [apiKeyProvider, setApiKeyProvider] = useState<ProviderInfo | null>(null);
  const list = providers.data?.platformProviders ?? [];

  const connectOAuth = (provider: ProviderInfo) =>
    userAction('start platform connection', async () => {
      setProblem(null);
      setStarting(provider.provider);
      try {
        const result = await start({ variables: { input: { brandId, provider: provider.provider, redirectUri: `${window.location.origin}${OAUTH_CALLBACK_PATH}` } } });
        const url = result.data?.startPlatformConnection.authorizationUrl;
        if (url) window.location.assign(url);
        else setStarting(null);
      } catch (error) {
        setProblem(errorMessage(error));
        setStarting(null);
      }
    });

  return (
    <Section title={`Connect an account for ${brandName}`}>
      <QueryState loading={providers.loading && !providers.data} error={providers.error} retry={() => void providers.refetch()} empty={list.length === 0} emptyText="No platform is available.">
        <Stack>
          <FormAlert message={problem} />
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
            {list.map((provider) => (
              <Stack key={provider.provider} gap={6} p="sm" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-md)' }}>
                <Group gap="xs" justify="space-between" wrap="nowrap">
                  <Text fw={600}>{provider.displayName}</Text>
                  {provider.sandbox ? <StateBadge tone="accent">Sandbox</StateBadge> : null}
                </Group>
                <Text size="xs" c="dimmed">
                  {provider.category === 'CMS' ? 'CMS' : provider.category.charAt(0) + provider.category.slice(1).toLowerCase()} ·{' '}
                  {provider.authMethod === 'OAUTH2' ? "through the platform's consent page" : 'with an API key'}
                </Text>
                {!provider.configured ? (
                  <Text size="sm">Not available: this installation has no client for {provider.displayName}.</Text>
                ) : provider.authMethod === 'OAUTH2' ? (
                  <Button size="sm" loading={starting === provider.provider} disabled={starting !== null && starting !== provider.provider} onClick={() => void connectOAuth(provider)}>
                    Connect {provider.displayName}
                  </Button>
                ) : (
                  <Button size="sm" variant="light" onClick={() => setApiKeyProvider(provider)}>
                    Connect {provider.displayName}
                  </Button>
                )}
              </Stack>
            ))}
          </SimpleGrid>
        </Stack>
      </QueryState>
      {apiKeyProvider ? <ApiKeyDialog provider={apiKeyProvider} brandId={brandId} brandName={brandName} onClose={() => setApiKeyProvider(null)} /> : null}
    </Section>
  );
}

const FIELD_LABELS: Record<string, string> = { username: 'User name', siteUrl: 'Site URL' };

function secretLabel(provider: ProviderInfo): string {
  return provider.provider === 'WORDPRESS' ? 'Application password' : 'API key';
}

function ApiKeyDialog({ provider, brandId, brandName, onClose }: { provider: ProviderInfo; brandId: string; brandName: string; onClose: () => void }) {
  const [connect, { loading }] = useMutation(WebOpsConnectPlatformWithApiKeyDocument, { refetchQueries: ['WebOpsPlatformConnections'], awaitRefetchQueries: true });
  const [general, setGeneral] = useState<string | null>(null);
  const fields = new Set(provider.apiKeyFields);
  const form = useForm({
    initialValues: { secret: '', username: '', siteUrl: '' },
    validate: {
      secret: (value) => (value.trim() ? null : provider.provider === 'WORDPRESS' ? 'Enter the application password.' : 'Enter the API key.'),
      username: (value) => (!fields.has('username') || value.trim() ? null : 'Enter the user name the password belongs to.'),
      siteUrl: (value) => (!fields.has('siteUrl') || /^https?:\/\/\S+$/.test(value.trim()) ? null : "Enter the site's address, starting with https://"),
    },
  });

  const submit = form.onSubmit((values) =>
    userAction('connect platform with api key', async () => {
      setGeneral(null);
      try {
        await connect({
          variables: {
            input: {
              brandId,
              provider: provider.provider,
              secret: values.secret.trim(),
              ...(fields.has('username') ? { username: values.username.trim() } : {}),
              ...(fields.has('siteUrl') ? { siteUrl: values.siteUrl.trim() } : {}),
            },
          },
        });
        notify({ title: `${provider.displayName} connected.`, message: `${brandName} can now use its ${provider.displayName} account.`, tone: 'good' });
        onClose();
      } catch (error) {
        setGeneral(showServerErrors(form, error));
      }
    }),
  );

  return (
    <Modal opened onClose={onClose} title={`Connect ${provider.displayName} for ${brandName}`}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormAlert message={general} />
          {fields.has('siteUrl') ? <TextInput label={FIELD_LABELS.siteUrl} placeholder="https://blog.example.com" type="url" required {...form.getInputProps('siteUrl')} /> : null}
          {fields.has('username') ? <TextInput label={FIELD_LABELS.username} autoComplete="off" required {...form.getInputProps('username')} /> : null}
          <PasswordInput
            label={secretLabel(provider)}
            description={provider.provider === 'MAILCHIMP' ? 'It ends with your data center, e.g. -us21.' : undefined}
            autoComplete="off"
            required
            {...form.getInputProps('secret')}
          />
          <Text size="xs" c="dimmed">
            The key is checked with {provider.displayName} first, then stored encrypted; it is never shown again.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={loading}>
              Connect
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
