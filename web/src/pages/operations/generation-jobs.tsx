import { useQuery } from '@apollo/client/react';
import { Badge, Code, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { useId, useState } from 'react';
import { LoadMore, QueryState } from '../../components/page';
import { WebOpsGenerationJobDocument, WebOpsGenerationJobsDocument, type GenerationJobStatus, type OpsGenerationJobFragment } from '../../generated/graphql';
import { loadNextPage } from '../../lib/pagination';
import { CHANNELS } from './generation-form';
import { formatCount, formatDateTime, formatMicroUsd, StateBadge, ToneAlert, type Tone } from './shared';
import { humanize } from '../../lib/format';

export const JOB_STATUS: Record<GenerationJobStatus, { label: string; tone: Tone }> = {
  QUEUED: { label: 'Queued', tone: 'neutral' },
  RUNNING: { label: 'Running', tone: 'info' },
  SUCCEEDED: { label: 'Succeeded', tone: 'good' },
  FAILED: { label: 'Failed', tone: 'bad' },
};

const isActive = (job: Pick<OpsGenerationJobFragment, 'status'>) => job.status === 'QUEUED' || job.status === 'RUNNING';

interface ContentInput {
  brand?: { name?: string };
  channel?: string;
  brief?: string;
}

interface ContentResult {
  title?: string;
  body?: string;
  callToAction?: string;
  hashtags?: string[];
}

const asRecord = (value: unknown): Record<string, unknown> | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null);

/** What a job is called on the page: "LinkedIn content for Acme" for CONTENT, the task's name otherwise. */
export function jobTitle(job: Pick<OpsGenerationJobFragment, 'task' | 'input'>): string {
  const input = asRecord(job.input) as ContentInput | null;
  if (job.task === 'CONTENT' && input?.channel) {
    const channel = CHANNELS.find((c) => c.value === input.channel)?.label ?? humanize(input.channel);
    return `${channel} content${input.brand?.name ? ` for ${input.brand.name}` : ''}`;
  }
  return `${humanize(job.task)} generation`;
}

/** The organization's generation jobs, newest first; the unfinished ones keep themselves up to date. */
export function GenerationJobs() {
  const { data, loading, error, refetch, fetchMore } = useQuery(WebOpsGenerationJobsDocument, { variables: { first: 10 } });
  const [loadingMore, setLoadingMore] = useState(false);
  const jobs = data?.generationJobs.nodes ?? [];
  return (
    <QueryState loading={loading && !data} error={error} retry={() => void refetch()} empty={jobs.length === 0} emptyText="No generation yet.">
      <Stack gap="md">
        {jobs.map((job) => (
          <JobCard key={job.id} job={job} />
        ))}
      </Stack>
      <LoadMore
        hasNextPage={data?.generationJobs.pageInfo.hasNextPage}
        loading={loadingMore}
        onLoadMore={() => {
          setLoadingMore(true);
          return loadNextPage(fetchMore, data, 'generationJobs').finally(() => setLoadingMore(false));
        }}
      />
    </QueryState>
  );
}

/**
 * Polls an unfinished job every `pollAfterSeconds` (the API's polling contract) until it is SUCCEEDED or FAILED. The
 * answers land in the cache under the job's id, so the list shows them; nothing is rendered here.
 */
function JobPoller({ job }: { job: OpsGenerationJobFragment }) {
  const active = isActive(job);
  useQuery(WebOpsGenerationJobDocument, {
    variables: { id: job.id },
    skip: !active,
    fetchPolicy: 'network-only',
    pollInterval: active ? Math.max(1, job.pollAfterSeconds ?? 2) * 1000 : 0,
  });
  return null;
}

function JobCard({ job }: { job: OpsGenerationJobFragment }) {
  const titleId = useId();
  const title = jobTitle(job);
  const status = JOB_STATUS[job.status];
  const active = isActive(job);
  return (
    <Paper component="article" aria-labelledby={titleId} withBorder p="md" radius="md" data-status={job.status}>
      {active ? <JobPoller job={job} /> : null}
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <Stack gap={2}>
            <Title order={3} size="h5" id={titleId}>
              {title}
            </Title>
            <Text size="xs" c="dimmed">
              Started {formatDateTime(job.createdAt)}
              {job.finishedAt ? ` · finished ${formatDateTime(job.finishedAt)}` : ''}
              {job.attempts > 1 ? ` · attempt ${job.attempts}` : ''}
            </Text>
          </Stack>
          <Group gap={6}>
            <StateBadge tone={status.tone}>{status.label}</StateBadge>
            {job.offline ? <StateBadge tone="neutral">Offline</StateBadge> : null}
            {job.cached ? <StateBadge tone="accent">Cached</StateBadge> : null}
          </Group>
        </Group>
        <Group gap="sm" wrap="nowrap">
          <Progress
            value={job.progress}
            aria-label={`Progress of ${title}`}
            striped={active}
            animated={active}
            color={job.status === 'FAILED' ? 'red.9' : undefined}
            style={{ flex: 1 }}
            size="lg"
          />
          <Text size="sm" w={48} ta="right">
            {job.progress}%
          </Text>
        </Group>
        <Group gap="lg" wrap="wrap">
          <Text size="sm">
            <Text span c="dimmed" size="sm">
              Model:{' '}
            </Text>
            {job.offline ? 'offline generator' : job.provider ? `${job.provider}${job.model ? ` · ${job.model}` : ''}` : '—'}
          </Text>
          <Text size="sm">
            <Text span c="dimmed" size="sm">
              Tokens:{' '}
            </Text>
            {formatCount(job.inputTokens)} in / {formatCount(job.outputTokens)} out{job.tokensEstimated ? ' (estimated)' : ''}
          </Text>
          <Text size="sm">
            <Text span c="dimmed" size="sm">
              Cost:{' '}
            </Text>
            {formatMicroUsd(job.costMicroUsd)}
          </Text>
        </Group>
        {job.status === 'SUCCEEDED' ? <JobResult job={job} /> : null}
        {job.error ? (
          <ToneAlert tone={job.status === 'FAILED' ? 'bad' : 'warn'} title={job.status === 'FAILED' ? `Failed: ${job.error.code}` : `The last attempt failed (${job.error.code}); it will be retried`}>
            {job.error.message}
          </ToneAlert>
        ) : null}
      </Stack>
    </Paper>
  );
}

function JobResult({ job }: { job: OpsGenerationJobFragment }) {
  const result = asRecord(job.result) as ContentResult | null;
  if (job.task === 'CONTENT' && result && typeof result.body === 'string') {
    return (
      <Paper bg="gray.0" p="sm" radius="sm" aria-label={`Result of ${jobTitle(job)}`} role="group">
        <Stack gap="xs">
          {result.title ? (
            <Text fw={700} data-testid="result-title">
              {result.title}
            </Text>
          ) : null}
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="result-body">
            {result.body}
          </Text>
          {result.callToAction ? (
            <Text size="sm">
              <Text span fw={600} size="sm">
                Call to action:{' '}
              </Text>
              {result.callToAction}
            </Text>
          ) : null}
          {result.hashtags?.length ? (
            <Group gap={6} aria-label="Hashtags" role="list">
              {result.hashtags.map((tag) => (
                <Badge key={tag} variant="outline" color="dark" tt="none" role="listitem">
                  {tag.startsWith('#') ? tag : `#${tag}`}
                </Badge>
              ))}
            </Group>
          ) : null}
          <Text size="xs" c="dimmed">
            Prompt {job.promptVersion}
          </Text>
        </Stack>
      </Paper>
    );
  }
  return (
    <div role="group" aria-label={`Result of ${jobTitle(job)}`}>
      <Code block>{JSON.stringify(job.result, null, 2)}</Code>
    </div>
  );
}
