import type { TypedDocumentNode } from '@apollo/client';
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Code, Group, Modal, NativeSelect, ScrollArea, SimpleGrid, Stack, Table, Tabs, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { LoadMore, PageHeader, QueryState, Section } from '../../components/page';
import {
  WebAdminAuthDeadLettersDocument,
  WebAdminCampaignsDeadLettersDocument,
  WebAdminCreationDeadLettersDocument,
  WebAdminReplayAuthDeadLetterDocument,
  WebAdminReplayAuthDeadLettersDocument,
  WebAdminReplayCampaignsDeadLetterDocument,
  WebAdminReplayCampaignsDeadLettersDocument,
  WebAdminReplayCreationDeadLetterDocument,
  WebAdminReplayCreationDeadLettersDocument,
  WebAdminReplayStrategyDeadLetterDocument,
  WebAdminReplayStrategyDeadLettersDocument,
  WebAdminStrategyDeadLettersDocument,
  type AdminDeadLetterFragment,
  type DeadLetterReason,
  type DeadLetterStatus,
  type WebAdminAuthDeadLettersQuery,
  type WebAdminAuthDeadLettersQueryVariables,
  type WebAdminReplayAuthDeadLetterMutation,
  type WebAdminReplayAuthDeadLetterMutationVariables,
  type WebAdminReplayAuthDeadLettersMutation,
  type WebAdminReplayAuthDeadLettersMutationVariables,
} from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { loadNextPage } from '../../lib/pagination';
import { userAction } from '../../lib/telemetry';
import { DataTable, MODAL_PROPS, READABLE_ALERT, When } from './common';

/** One consuming subgraph's dead letters: its operations alias their root fields alike, so their types are one. */
interface DeadLetterService {
  value: string;
  label: string;
  list: TypedDocumentNode<WebAdminAuthDeadLettersQuery, WebAdminAuthDeadLettersQueryVariables>;
  replay: TypedDocumentNode<WebAdminReplayAuthDeadLetterMutation, WebAdminReplayAuthDeadLetterMutationVariables>;
  replayAll: TypedDocumentNode<WebAdminReplayAuthDeadLettersMutation, WebAdminReplayAuthDeadLettersMutationVariables>;
}

/** The subgraphs that consume events (and so keep dead letters), as the supergraph lists them. */
const SERVICES: DeadLetterService[] = [
  { value: 'auth', label: 'Auth', list: WebAdminAuthDeadLettersDocument, replay: WebAdminReplayAuthDeadLetterDocument, replayAll: WebAdminReplayAuthDeadLettersDocument },
  { value: 'strategy', label: 'Strategy', list: WebAdminStrategyDeadLettersDocument, replay: WebAdminReplayStrategyDeadLetterDocument, replayAll: WebAdminReplayStrategyDeadLettersDocument },
  { value: 'creation', label: 'Creation', list: WebAdminCreationDeadLettersDocument, replay: WebAdminReplayCreationDeadLetterDocument, replayAll: WebAdminReplayCreationDeadLettersDocument },
  { value: 'campaigns', label: 'Campaigns', list: WebAdminCampaignsDeadLettersDocument, replay: WebAdminReplayCampaignsDeadLetterDocument, replayAll: WebAdminReplayCampaignsDeadLettersDocument },
];

const STATUSES: { value: DeadLetterStatus; label: string }[] = [
  { value: 'PENDING', label: 'Pending' },
  { value: 'REPLAYED', label: 'Replayed' },
  { value: 'ALL', label: 'All' },
];

const REASONS: Record<DeadLetterReason, string> = {
  HANDLER_FAILED: 'Handler failed',
  NOT_JSON: 'Not JSON',
  NOT_ENVELOPE: 'Not an event envelope',
  INVALID_PAYLOAD: 'Invalid payload',
};

const OUTCOMES: Record<string, string> = {
  APPLIED: 'applied',
  ALREADY_PROCESSED: 'already processed (nothing changed)',
  FAILED: 'failed',
};

/** What the last replay on a service came to, as the page says it. */
interface Outcome {
  color: 'green' | 'red' | 'blue';
  title: string;
  message: string;
}

/** Events each consuming service gave up on (OWNER and ADMIN): a tab per service, replay one or all. */
export function DeadLettersPage() {
  const [params, setParams] = useSearchParams();
  const service = SERVICES.find((s) => s.value === params.get('service')) ?? SERVICES[0]!;
  const status = STATUSES.find((s) => s.value === params.get('status'))?.value ?? 'PENDING';
  const update = (changes: Record<string, string>) => setParams({ service: service.value, status, ...changes }, { replace: true });

  return (
    <>
      <PageHeader
        title="Dead letters"
        description="Events a service could not process, after its retries. Once the cause is fixed, replay them: each is applied at most once."
      />
      <Tabs value={service.value} onChange={(value) => value && update({ service: value })} keepMounted={false}>
        <Tabs.List aria-label="Services" mb="md">
          {SERVICES.map((s) => (
            <Tabs.Tab key={s.value} value={s.value}>
              {s.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {SERVICES.map((s) => (
          <Tabs.Panel key={s.value} value={s.value}>
            <DeadLetterPanel service={s} status={status} onStatus={(value) => update({ status: value })} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}

function DeadLetterPanel({ service, status, onStatus }: { service: DeadLetterService; status: DeadLetterStatus; onStatus: (status: DeadLetterStatus) => void }) {
  const { data, loading, error, refetch, fetchMore } = useQuery(service.list, { variables: { status } });
  const [replayOne] = useMutation(service.replay);
  const [replayAll, { loading: replayingAll }] = useMutation(service.replayAll);
  const [replaying, setReplaying] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [viewing, setViewing] = useState<AdminDeadLetterFragment | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const letters = data?.deadLetters.nodes ?? [];

  const more = async () => {
    setLoadingMore(true);
    try {
      await loadNextPage(fetchMore, data, 'deadLetters');
    } finally {
      setLoadingMore(false);
    }
  };

  const replay = (letter: AdminDeadLetterFragment) =>
    void userAction(`replay ${service.value} dead letter`, async () => {
      setReplaying(letter.id);
      setOutcome(null);
      try {
        const result = await replayOne({ variables: { id: letter.id } });
        const answer = result.data?.replay;
        if (!answer) return;
        const what = `${letter.type} (event ${letter.eventId.slice(0, 8)})`;
        setOutcome(
          answer.outcome === 'FAILED'
            ? { color: 'red', title: 'Replay failed', message: `${what} failed again: ${answer.error ?? 'no reason given'}. It stays pending.` }
            : { color: 'green', title: 'Replayed', message: `${what}: ${OUTCOMES[answer.outcome] ?? answer.outcome}.` },
        );
        await refetch();
      } catch (caught) {
        setOutcome({ color: 'red', title: 'Replay refused', message: errorMessage(caught) });
      } finally {
        setReplaying(null);
      }
    });

  const replayEverything = () =>
    void userAction(`replay all ${service.value} dead letters`, async () => {
      setOutcome(null);
      try {
        const result = await replayAll();
        const summary = result.data?.replayAll;
        if (!summary) return;
        const total = summary.applied + summary.alreadyProcessed + summary.failed;
        setOutcome({
          color: summary.failed > 0 ? 'red' : total === 0 ? 'blue' : 'green',
          title: 'Replay all',
          message:
            total === 0
              ? `${service.label} had no pending dead letters.`
              : `${summary.applied} applied, ${summary.alreadyProcessed} already processed, ${summary.failed} failed${summary.failed > 0 ? ' (they stay pending)' : ''}.`,
        });
        await refetch();
      } catch (caught) {
        setOutcome({ color: 'red', title: 'Replay all refused', message: errorMessage(caught) });
      }
    });

  return (
    <Section
      title={`${service.label} dead letters`}
      actions={
        <>
          <NativeSelect label="Status" data={STATUSES} value={status} onChange={(event) => onStatus(event.currentTarget.value as DeadLetterStatus)} />
          <Button variant="default" loading={replayingAll} onClick={replayEverything} style={{ alignSelf: 'flex-end' }}>
            Replay all
          </Button>
        </>
      }
    >
      <Stack>
        <div role="status" aria-live="polite">
          {outcome ? (
            <Alert color={outcome.color} title={outcome.title} withCloseButton closeButtonLabel="Dismiss" onClose={() => setOutcome(null)} role="none" data-testid="replay-outcome" styles={READABLE_ALERT}>
              {outcome.message}
            </Alert>
          ) : null}
        </div>
        <QueryState
          loading={loading && !data}
          error={error}
          empty={letters.length === 0}
          emptyText={status === 'PENDING' ? `No pending dead letters: ${service.label} processed every event it received.` : 'No dead letters here.'}
          retry={() => void refetch()}
        >
          <DataTable label={`${service.label} dead letters`} minWidth={1000}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Type</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th>Error</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>First failed</Table.Th>
                <Table.Th>Last failed</Table.Th>
                <Table.Th>Replayed</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {letters.map((letter) => (
                <Table.Tr key={letter.id} data-testid="dead-letter-row">
                  <Table.Td>
                    <Code>{letter.type}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="dot" color={letter.reason === 'HANDLER_FAILED' ? 'orange' : 'red'} tt="none">
                      {REASONS[letter.reason]}
                    </Badge>
                  </Table.Td>
                  <Table.Td maw={320}>
                    <Text size="sm" lineClamp={3} style={{ wordBreak: 'break-word' }}>
                      {letter.error}
                    </Text>
                  </Table.Td>
                  <Table.Td>{letter.attempts}</Table.Td>
                  <Table.Td>
                    <When value={letter.firstFailedAt} />
                  </Table.Td>
                  <Table.Td>
                    <When value={letter.lastFailedAt} />
                  </Table.Td>
                  <Table.Td>
                    <When value={letter.replayedAt} fallback={<Text span size="sm" c="dimmed">Pending</Text>} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="default" aria-label={`Details of ${letter.type} event ${letter.eventId.slice(0, 8)}`} onClick={() => setViewing(letter)}>
                        Details
                      </Button>
                      {letter.replayedAt ? null : (
                        <Button
                          size="xs"
                          aria-label={`Replay ${letter.type} event ${letter.eventId.slice(0, 8)}`}
                          loading={replaying === letter.id}
                          disabled={replaying !== null && replaying !== letter.id}
                          onClick={() => replay(letter)}
                        >
                          Replay
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </DataTable>
          <LoadMore hasNextPage={data?.deadLetters.pageInfo.hasNextPage} loading={loadingMore} onLoadMore={more} />
        </QueryState>
      </Stack>
      <DeadLetterModal letter={viewing} service={service.label} onClose={() => setViewing(null)} />
    </Section>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function DeadLetterModal({ letter, service, onClose }: { letter: AdminDeadLetterFragment | null; service: string; onClose: () => void }) {
  return (
    <Modal opened={letter !== null} onClose={onClose} title={letter ? `${service}: ${letter.type}` : 'Dead letter'} size="xl" {...MODAL_PROPS}>
      {letter ? (
        <Stack>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" component="dl" m={0}>
            <Fact term="Event id">
              <Code>{letter.eventId}</Code>
            </Fact>
            <Fact term="Reason">{REASONS[letter.reason]}</Fact>
            <Fact term="Attempts">{letter.attempts}</Fact>
            <Fact term="First failed">
              <When value={letter.firstFailedAt} />
            </Fact>
            <Fact term="Last failed">
              <When value={letter.lastFailedAt} />
            </Fact>
            <Fact term="Replayed">
              <When value={letter.replayedAt} fallback="Not yet" />
            </Fact>
          </SimpleGrid>
          <div>
            <Text fw={600} size="sm">
              Error
            </Text>
            <Text size="sm" style={{ wordBreak: 'break-word' }}>
              {letter.error}
            </Text>
          </div>
          <div>
            <Text fw={600} size="sm">
              Event as published
            </Text>
            <ScrollArea.Autosize mah={320} type="auto">
              <Code block>{prettyJson(letter.envelope)}</Code>
            </ScrollArea.Autosize>
          </div>
        </Stack>
      ) : null}
    </Modal>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" fw={600} size="sm">
        {term}
      </Text>
      <Text component="dd" size="sm" m={0}>
        {children}
      </Text>
    </div>
  );
}
