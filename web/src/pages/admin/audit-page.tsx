import { useQuery } from '@apollo/client/react';
import { Code, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { LoadMore, PageHeader, QueryState, Section } from '../../components/page';
import { WebAdminAuditEventsDocument, WebAdminMembersDocument, type AdminAuditEventFragment } from '../../generated/graphql';
import { loadNextPage } from '../../lib/pagination';
import { DataTable, When } from './common';

/** The actions the auth service records, with what they mean. */
export const AUDIT_ACTIONS: { value: string; label: string }[] = [
  { value: 'login.succeeded', label: 'Login succeeded' },
  { value: 'login.failed', label: 'Login failed' },
  { value: 'login.throttled', label: 'Login throttled' },
  { value: 'session.refresh_reused', label: 'Refresh token reused' },
  { value: 'session.logged_out', label: 'Logged out' },
  { value: 'password.changed', label: 'Password changed' },
  { value: 'email.verified', label: 'Email verified' },
  { value: 'member.invited', label: 'Member invited' },
  { value: 'member.joined', label: 'Member joined' },
  { value: 'member.role_changed', label: 'Member role changed' },
  { value: 'member.removed', label: 'Member removed' },
  { value: 'apikey.created', label: 'API key created' },
  { value: 'apikey.revoked', label: 'API key revoked' },
  { value: 'organization.created', label: 'Organization created' },
];

const ACTION_LABELS = new Map(AUDIT_ACTIONS.map((a) => [a.value, a.label]));

/** The details object as short `key: value` lines. */
function detailLines(details: string | null): string[] {
  if (!details) return [];
  try {
    const parsed = JSON.parse(details) as unknown;
    if (!parsed || typeof parsed !== 'object') return [];
    return Object.entries(parsed as Record<string, unknown>).map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`);
  } catch {
    return [details];
  }
}

/** Security events (OWNER and ADMIN), newest first, filtered by action. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const action = params.get('action') ?? '';
  const { data, loading, error, refetch, fetchMore } = useQuery(WebAdminAuditEventsDocument, { variables: action ? { action } : {} });
  // Names for the ids the events carry (members only; others show as ids).
  const members = useQuery(WebAdminMembersDocument);
  const names = new Map((members.data?.organization.members ?? []).map((m) => [m.user.id, m.user.name]));
  const [loadingMore, setLoadingMore] = useState(false);
  const events = data?.auditEvents.nodes ?? [];

  const more = async () => {
    setLoadingMore(true);
    try {
      await loadNextPage(fetchMore, data, 'auditEvents');
    } finally {
      setLoadingMore(false);
    }
  };

  const who = (event: AdminAuditEventFragment) => {
    if (event.actorType === 'anonymous' || !event.actorId) return <Text span c="dimmed">Anonymous</Text>;
    if (event.actorType === 'apiKey') return <>API key <Code>{event.actorId.slice(0, 8)}</Code></>;
    return names.get(event.actorId) ?? <Code>{event.actorId.slice(0, 8)}</Code>;
  };
  const target = (event: AdminAuditEventFragment) => (event.targetId ? (names.get(event.targetId) ?? <Code title={event.targetId}>{event.targetId.slice(0, 8)}</Code>) : '—');

  return (
    <>
      <PageHeader title="Audit events" description="Security events of the organization: logins, sessions, members, roles and API keys, newest first." />
      <Section
        title="Events"
        actions={
          <NativeSelect
            label="Action"
            data={[{ value: '', label: 'All actions' }, ...AUDIT_ACTIONS]}
            value={action}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setParams(value ? { action: value } : {}, { replace: true });
            }}
          />
        }
      >
        <QueryState
          loading={loading && !data}
          error={error}
          empty={events.length === 0}
          emptyText={action ? `No “${ACTION_LABELS.get(action) ?? action}” events.` : 'No events yet.'}
          retry={() => void refetch()}
        >
          <DataTable label="Audit events" minWidth={860}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Actor</Table.Th>
                <Table.Th>Target</Table.Th>
                <Table.Th>Address</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((event) => (
                <Table.Tr key={event.id} data-testid="audit-row">
                  <Table.Td>
                    <When value={event.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={0}>
                      <Text size="sm">{ACTION_LABELS.get(event.action) ?? event.action}</Text>
                      <Code>{event.action}</Code>
                    </Stack>
                  </Table.Td>
                  <Table.Td>{who(event)}</Table.Td>
                  <Table.Td>{target(event)}</Table.Td>
                  <Table.Td>{event.address ?? '—'}</Table.Td>
                  <Table.Td>
                    <Group gap={2} style={{ flexDirection: 'column', alignItems: 'flex-start' }}>
                      {detailLines(event.details).map((line) => (
                        <Text key={line} size="xs" ff="monospace" style={{ wordBreak: 'break-word' }}>
                          {line}
                        </Text>
                      ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </DataTable>
          <LoadMore hasNextPage={data?.auditEvents.pageInfo.hasNextPage} loading={loadingMore} onLoadMore={more} />
        </QueryState>
      </Section>
    </>
  );
}
