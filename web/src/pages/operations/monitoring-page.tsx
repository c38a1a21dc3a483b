import { NetworkStatus } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { BarChart } from '@mantine/charts';
import { useMediaQuery } from '@mantine/hooks';
import { Box, Button, Group, Paper, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { useEffect, useId, useState } from 'react';
import { ROLES } from '../../auth/auth-context';
import { PageHeader, QueryState } from '../../components/page';
import { WebOpsCircuitBreakersDocument, type CircuitBreakerKind, type CircuitBreakerState, type OpsCircuitBreakerFragment, type WebOpsCircuitBreakersQuery } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { formatCount, formatTime, RoleGate, StateBadge, ToneAlert, type Tone } from './shared';

/** How often the dashboard asks again while live. */
export const MONITORING_POLL_MS = 2_000;

export const BREAKER_STATE: Record<CircuitBreakerState, { label: string; tone: Tone; help: string }> = {
  CLOSED: { label: 'Closed', tone: 'good', help: 'Calls go through.' },
  OPEN: { label: 'Open', tone: 'bad', help: 'Calls are refused at once until the open period ends.' },
  HALF_OPEN: { label: 'Half-open', tone: 'warn', help: 'A few probe calls go through; the first to succeed closes it.' },
};

const KIND: Record<CircuitBreakerKind, string> = { SUBGRAPH: 'Subgraph', PLATFORM: 'Platform', AI: 'AI provider', WEBSITE: 'Website' };

const STATE_ORDER: Record<CircuitBreakerState, number> = { OPEN: 0, HALF_OPEN: 1, CLOSED: 2 };

type Service = WebOpsCircuitBreakersQuery['circuitBreakers'][number];

/** The accessible name of a breaker's card, e.g. "platform:x (auth): Open". */
export function breakerLabel(breaker: Pick<OpsCircuitBreakerFragment, 'name' | 'service' | 'state'>): string {
  return `${breaker.name} (${breaker.service}): ${BREAKER_STATE[breaker.state].label}`;
}

export function MonitoringPage() {
  return (
    <RoleGate roles={ROLES.admins} title="Circuit monitoring">
      <Monitoring />
    </RoleGate>
  );
}

function Monitoring() {
  const [paused, setPaused] = useState(false);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const { data, error, loading, refetch, networkStatus } = useQuery(WebOpsCircuitBreakersDocument, {
    pollInterval: paused ? 0 : MONITORING_POLL_MS,
    notifyOnNetworkStatusChange: true,
    fetchPolicy: 'network-only',
  });

  useEffect(() => {
    if (networkStatus === NetworkStatus.ready && data) setUpdatedAt(new Date());
  }, [networkStatus, data]);

  const services = data?.circuitBreakers ?? [];
  const all = services.flatMap((s) => s.breakers);
  const count = (state: CircuitBreakerState) => all.filter((b) => b.state === state).length;

  return (
    <>
      <PageHeader
        title="Circuit monitoring"
        description="Every service's circuit breakers: the gateway's in front of each subgraph, and each subgraph's in front of platforms, AI providers and websites."
      />
      <Group justify="space-between" align="center" mb="md" wrap="wrap" gap="sm">
        <Group gap="md" wrap="wrap">
          <Switch label="Pause live updates" checked={paused} onChange={(event) => setPaused(event.currentTarget.checked)} />
          <Button size="xs" variant="default" onClick={() => void refetch()} loading={networkStatus === NetworkStatus.refetch}>
            Refresh now
          </Button>
        </Group>
        <Text size="sm" data-testid="updated-at">
          {paused ? 'Paused · ' : `Live, every ${MONITORING_POLL_MS / 1000} s · `}
          Updated at {updatedAt ? formatTime(updatedAt) : '—'}
        </Text>
      </Group>
      {error && data ? (
        <ToneAlert tone="warn" title="Could not refresh" mb="md" role="alert">
          {errorMessage(error)} Showing what was read at {formatTime(updatedAt)}.
        </ToneAlert>
      ) : null}
      <QueryState loading={loading && !data} error={data ? undefined : error} retry={() => void refetch()} empty={services.length === 0} emptyText="No service reported its breakers.">
        <Text mb="lg" aria-live="polite" data-testid="breaker-summary">
          <strong>{count('OPEN')}</strong> open · <strong>{count('HALF_OPEN')}</strong> half-open · <strong>{count('CLOSED')}</strong> closed, across {services.length} services.
        </Text>
        {services.map((service) => (
          <ServiceSection key={service.service} service={service} />
        ))}
      </QueryState>
    </>
  );
}

function ServiceSection({ service }: { service: Service }) {
  const titleId = useId();
  const breakers = [...service.breakers].sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.name.localeCompare(b.name));
  return (
    <Box component="section" aria-labelledby={titleId} mb="xl">
      <Group gap="sm" mb="sm">
        <Title order={2} size="h3" id={titleId}>
          {service.service}
        </Title>
        {!service.reachable ? <StateBadge tone="bad">Unreachable</StateBadge> : null}
      </Group>
      {!service.reachable ? (
        <Text mb="sm">The {service.service} service did not answer: its breakers are unknown right now (not necessarily none).</Text>
      ) : breakers.length === 0 ? (
        <Text c="dimmed" mb="sm">
          No breaker yet: one appears after its first call.
        </Text>
      ) : (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} spacing="sm">
            {breakers.map((breaker) => (
              <BreakerCard key={breaker.name} breaker={breaker} />
            ))}
          </SimpleGrid>
          <LatencyChart service={service.service} breakers={breakers} />
        </Stack>
      )}
    </Box>
  );
}

function BreakerCard({ breaker }: { breaker: OpsCircuitBreakerFragment }) {
  const state = BREAKER_STATE[breaker.state];
  const { window: w } = breaker;
  const seconds = Math.round(breaker.settings.windowMs / 1000);
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      role="group"
      aria-label={breakerLabel(breaker)}
      data-breaker={breaker.name}
      data-service={breaker.service}
      data-state={breaker.state}
      style={{ borderLeft: `6px solid var(--mantine-color-${state.tone === 'good' ? 'green-7' : state.tone === 'bad' ? 'red-8' : 'orange-7'})` }}
    >
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
          <Box style={{ minWidth: 0 }}>
            <Title order={3} size="h5" style={{ overflowWrap: 'anywhere' }}>
              {breaker.name}
            </Title>
            <Text size="xs" c="dimmed">
              {KIND[breaker.kind]} · {breaker.dependency}
            </Text>
          </Box>
          <StateBadge tone={state.tone} data-testid="breaker-state">
            {state.label}
          </StateBadge>
        </Group>
        <Text size="xs">
          {state.label} since {formatTime(breaker.stateChangedAt)}
          {breaker.state === 'OPEN' && breaker.halfOpenAt ? ` · probes from ${formatTime(breaker.halfOpenAt)}` : ''}
        </Text>
        <Text size="xs" fw={600}>
          Last {seconds} s
        </Text>
        <Box component="dl" m={0} style={{ display: 'grid', gridTemplateColumns: 'repeat(4, minmax(0, 1fr))', gap: 4 }}>
          <Figure label="Calls" value={w.calls} />
          <Figure label="Failures" value={w.failures} />
          <Figure label="Timeouts" value={w.timeouts} />
          <Figure label="Short circuits" value={w.shortCircuits} />
        </Box>
        <Text size="xs">
          Latency p50 {Math.round(w.latencyP50Ms)} ms · p95 {Math.round(w.latencyP95Ms)} ms · p99 {Math.round(w.latencyP99Ms)} ms
        </Text>
        <Text size="xs" c="dimmed">
          Window {seconds} s; opens at {breaker.settings.minimumCalls}+ calls with over {Math.round(breaker.settings.failureRate * 100)}% failing; stays open{' '}
          {Math.round(breaker.settings.openMs / 100) / 10} s. Since start: {formatCount(breaker.totals.successes)} ok, {formatCount(breaker.totals.failures)} failed,{' '}
          {formatCount(breaker.totals.shortCircuits)} refused.
        </Text>
      </Stack>
    </Paper>
  );
}

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <Text component="dt" size="xs" c="dimmed">
        {label}
      </Text>
      <Text component="dd" m={0} fw={700}>
        {formatCount(value)}
      </Text>
    </div>
  );
}

function LatencyChart({ service, breakers }: { service: string; breakers: OpsCircuitBreakerFragment[] }) {
  const titleId = useId();
  const narrow = useMediaQuery('(max-width: 36em)');
  const data = breakers.map((b) => ({ breaker: b.name, p50: Math.round(b.window.latencyP50Ms), p95: Math.round(b.window.latencyP95Ms), p99: Math.round(b.window.latencyP99Ms) }));
  return (
    <div role="group" aria-labelledby={titleId}>
      <Text fw={600} size="sm" id={titleId} mb={4}>
        Latency percentiles of {service}'s breakers, last window (ms)
      </Text>
      {/* The same numbers are on each breaker's card, for those who cannot see the chart. */}
      <div aria-hidden="true">
        <BarChart
          h={Math.max(140, data.length * 44)}
          data={data}
          dataKey="breaker"
          orientation="vertical"
          yAxisProps={{ width: narrow ? 100 : 150 }}
          withLegend
          series={[
            { name: 'p50', label: 'p50', color: 'teal.8' },
            { name: 'p95', label: 'p95', color: 'indigo.7' },
            { name: 'p99', label: 'p99', color: 'grape.8' },
          ]}
          valueFormatter={(value) => `${value} ms`}
          barChartProps={{ accessibilityLayer: false }}
        />
      </div>
    </div>
  );
}
