import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Checkbox, Code, CopyButton, Group, Modal, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { FormAlert, LoadMore, PageHeader, QueryState, Section } from '../../components/page';
import { WebAdminApiKeysDocument, WebAdminCreateApiKeyDocument, WebAdminRevokeApiKeyDocument, type AdminApiKeyFragment } from '../../generated/graphql';
import { errorMessage, formErrors } from '../../lib/errors';
import { loadNextPage } from '../../lib/pagination';
import { userAction } from '../../lib/telemetry';
import { ConfirmModal, DataTable, MODAL_PROPS, READABLE_ALERT, StatusMessage, When } from './common';

/** The scopes a key may hold (the README's list; the server checks again), with what each lets a partner do. */
export const API_KEY_SCOPES: { value: string; description: string }[] = [
  { value: 'organization:read', description: 'Read the organization and its members (without emails)' },
  { value: 'brands:read', description: 'Read brands and projects' },
  { value: 'brands:write', description: 'Create brands and projects' },
  { value: 'calendar:read', description: 'Read the content calendar' },
  { value: 'calendar:write', description: 'Plan calendar entries' },
  { value: 'content:read', description: 'Read content and AI generation jobs' },
  { value: 'content:write', description: 'Create content and start AI generation' },
  { value: 'campaigns:read', description: 'Read publications' },
  { value: 'campaigns:write', description: 'Schedule publications' },
];

/** yyyy-mm-dd of a day in the local calendar. */
function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The end of a local calendar day (yyyy-mm-dd), when a key that expires "on" it stops working. */
function endOfDay(day: string): Date {
  return new Date(`${day}T23:59:59.999`);
}

function status(key: AdminApiKeyFragment): { label: string; color: string } {
  if (key.revokedAt) return { label: 'Revoked', color: 'red' };
  if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now()) return { label: 'Expired', color: 'gray' };
  return { label: 'Active', color: 'green' };
}

/** Partner API keys (OWNER and ADMIN): the list, a new key (its secret shown once), revocation. */
export function ApiKeysPage() {
  const { data, loading, error, refetch, fetchMore } = useQuery(WebAdminApiKeysDocument);
  const [loadingMore, setLoadingMore] = useState(false);
  const [revoking, setRevoking] = useState<AdminApiKeyFragment | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const keys = data?.apiKeys.nodes ?? [];

  const more = async () => {
    setLoadingMore(true);
    try {
      await loadNextPage(fetchMore, data, 'apiKeys');
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <>
      <PageHeader title="API keys" description="Keys let partner systems use the API on the organization's behalf, within the scopes you grant." />
      <Stack gap="xl">
        <CreateKeySection onCreated={() => void refetch()} />
        <Section title="Keys">
          <StatusMessage message={done} />
          <QueryState loading={loading && !data} error={error} empty={keys.length === 0} emptyText="No API keys yet." retry={() => void refetch()}>
            <DataTable label="API keys" minWidth={960}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Prefix</Table.Th>
                  <Table.Th>Scopes</Table.Th>
                  <Table.Th>Created by</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {keys.map((key) => {
                  const state = status(key);
                  return (
                    <Table.Tr key={key.id} data-testid="api-key-row">
                      <Table.Td>{key.name}</Table.Td>
                      <Table.Td>
                        <Code>{key.prefix}</Code>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {key.scopes.map((scope) => (
                            <Badge key={scope} variant="outline" size="sm" tt="none">
                              {scope}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>{key.createdBy?.name ?? '—'}</Table.Td>
                      <Table.Td>
                        <When value={key.createdAt} />
                      </Table.Td>
                      <Table.Td>
                        <When value={key.expiresAt} fallback="Never" />
                      </Table.Td>
                      <Table.Td>
                        <When value={key.lastUsedAt} fallback="Never" />
                      </Table.Td>
                      <Table.Td>
                        <Badge color={state.color} variant="dot" tt="none" style={{ minWidth: 'max-content' }}>
                          {state.label}
                        </Badge>
                        {key.revokedAt ? (
                          <Text size="xs" c="dimmed">
                            <When value={key.revokedAt} />
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        {key.revokedAt ? (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        ) : (
                          <Button size="xs" variant="default" c="red.8" aria-label={`Revoke ${key.name}`} onClick={() => setRevoking(key)}>
                            Revoke
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </DataTable>
            <LoadMore hasNextPage={data?.apiKeys.pageInfo.hasNextPage} loading={loadingMore} onLoadMore={more} />
          </QueryState>
        </Section>
      </Stack>
      <RevokeKeyModal apiKey={revoking} onClose={() => setRevoking(null)} onRevoked={setDone} />
    </>
  );
}

function CreateKeySection({ onCreated }: { onCreated: () => void }) {
  const [mutate, { loading }] = useMutation(WebAdminCreateApiKeyDocument);
  const [general, setGeneral] = useState<string | null>(null);
  const [created, setCreated] = useState<{ key: string; name: string; prefix: string } | null>(null);
  const tomorrow = isoDay(new Date(Date.now() + 86_400_000));
  const form = useForm({
    initialValues: { name: '', scopes: [] as string[], expiresAt: '' },
    validate: {
      name: (value) => {
        if (!value.trim()) return 'Name the key, e.g. after the partner that uses it.';
        return value.trim().length > 120 ? 'Use at most 120 characters.' : null;
      },
      scopes: (value) => (value.length > 0 ? null : 'Choose at least one scope.'),
      expiresAt: (value) => {
        if (!value) return null;
        const end = endOfDay(value);
        if (Number.isNaN(end.getTime())) return 'Enter a date, or leave this empty.';
        return end.getTime() > Date.now() ? null : 'Choose a day in the future.';
      },
    },
  });

  const submit = form.onSubmit((values) =>
    userAction('create api key', async () => {
      setGeneral(null);
      try {
        const result = await mutate({
          variables: { input: { name: values.name.trim(), scopes: values.scopes, ...(values.expiresAt ? { expiresAt: endOfDay(values.expiresAt).toISOString() } : {}) } },
        });
        if (!result.data) return;
        const { key, apiKey } = result.data.createApiKey;
        setCreated({ key, name: apiKey.name, prefix: apiKey.prefix });
        form.reset();
        onCreated();
      } catch (error) {
        const errors = formErrors(error);
        // The server names a scope by its position (scopes.2): the message belongs to the group.
        const fields: Record<string, string> = {};
        for (const [field, message] of Object.entries(errors.fields)) fields[field.startsWith('scopes') ? 'scopes' : field] ??= message;
        form.setErrors(fields);
        setGeneral(errors.general);
      }
    }),
  );

  return (
    <Section title="Create a key">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={760}>
          <FormAlert message={general} />
          <TextInput label="Name" description="Who or what uses it, e.g. the partner's name." required maxLength={120} {...form.getInputProps('name')} />
          <Checkbox.Group label="Scopes" description="What the key may do. Grant no more than the partner needs." required {...form.getInputProps('scopes')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="xs">
              {API_KEY_SCOPES.map((scope) => (
                <Checkbox key={scope.value} value={scope.value} label={scope.value} description={scope.description} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <TextInput
            label="Expires on"
            description="Optional: the key stops working at the end of that day. Leave empty for a key that does not expire."
            type="date"
            min={tomorrow}
            styles={{ wrapper: { maxWidth: '16rem' } }}
            {...form.getInputProps('expiresAt')}
          />
          <Group>
            <Button type="submit" loading={loading}>
              Create key
            </Button>
          </Group>
        </Stack>
      </form>
      <NewKeyModal created={created} onClose={() => setCreated(null)} />
    </Section>
  );
}

/** The new key's secret, shown this once: closing the modal forgets it. */
function NewKeyModal({ created, onClose }: { created: { key: string; name: string; prefix: string } | null; onClose: () => void }) {
  return (
    <Modal opened={created !== null} onClose={onClose} title="Your new API key" closeOnClickOutside={false} size="lg" {...MODAL_PROPS}>
      {created ? (
        <Stack>
          <Alert color="yellow" title="Copy the key now: it is shown only once" role="note" styles={READABLE_ALERT}>
            The key is not stored anywhere we can read it back. Once you close this window it cannot be shown again; if it is lost, create a new key and revoke this one.
          </Alert>
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <TextInput
              label={`API key "${created.name}"`}
              value={created.key}
              readOnly
              data-autofocus
              style={{ flex: 1, minWidth: 0 }}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              onFocus={(event) => event.currentTarget.select()}
            />
            <CopyButton value={created.key}>
              {({ copied, copy }) => (
                <Button variant={copied ? 'filled' : 'default'} color={copied ? 'teal' : undefined} onClick={copy}>
                  {copied ? 'Copied' : 'Copy key'}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Text size="sm" c="dimmed">
            Partners send it in the <Code>X-API-Key</Code> header. The list shows it by its prefix, <Code>{created.prefix}</Code>.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied the key</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}

function RevokeKeyModal({ apiKey, onClose, onRevoked }: { apiKey: AdminApiKeyFragment | null; onClose: () => void; onRevoked: (message: string) => void }) {
  const [mutate, { loading }] = useMutation(WebAdminRevokeApiKeyDocument);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  const confirm = () =>
    void userAction('revoke api key', async () => {
      if (!apiKey) return;
      setError(null);
      try {
        // The answer updates the key in the cache (by id), so the list shows it revoked.
        await mutate({ variables: { id: apiKey.id } });
        onRevoked(`The key ${apiKey.name} is revoked.`);
        close();
      } catch (caught) {
        setError(errorMessage(caught));
      }
    });
  return (
    <ConfirmModal opened={apiKey !== null} title={apiKey ? `Revoke the key ${apiKey.name}?` : 'Revoke the key?'} confirmLabel="Revoke key" loading={loading} error={error} onConfirm={confirm} onClose={close}>
      {apiKey ? (
        <Text size="sm">
          Requests made with <Code>{apiKey.prefix}…</Code> are refused within a few seconds. This cannot be undone: a partner that still needs access gets a new key.
        </Text>
      ) : null}
    </ConfirmModal>
  );
}
