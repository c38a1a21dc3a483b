import { useMutation, useQuery } from '@apollo/client/react';
import { BarChart } from '@mantine/charts';
import { Button, Group, NumberInput, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { useId, useState } from 'react';
import { FormAlert, QueryState } from '../../components/page';
import { WebOpsAiUsageDocument, WebOpsSetAiBudgetDocument, type AiBudgetState, type OpsAiBudgetFragment, type OpsAiUsageLineFragment } from '../../generated/graphql';
import { formErrors } from '../../lib/errors';
import { userAction } from '../../lib/telemetry';
import { formatCents, formatCount, formatMicroUsd, notify, ScrollRegion, StateBadge, type Tone } from './shared';

export const BUDGET_STATE: Record<AiBudgetState, { label: string; tone: Tone; help: string }> = {
  OK: { label: 'OK', tone: 'good', help: 'Below the warning share.' },
  WARNING: { label: 'Warning', tone: 'warn', help: 'Past the warning share of the limit.' },
  EXCEEDED: { label: 'Exceeded', tone: 'bad', help: 'The limit is reached: generations that would call a model are refused.' },
};

/** This month's AI usage (total, by agent, by model), the budget and its form: OWNER and ADMIN only. */
export function AiUsage() {
  const { data, loading, error, refetch } = useQuery(WebOpsAiUsageDocument, { variables: {} });
  const usage = data?.aiUsage;
  return (
    <QueryState loading={loading && !data} error={error} retry={() => void refetch()}>
      {usage ? (
        <Stack gap="lg">
          <BudgetSummary budget={usage.budget} />
          <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} spacing="sm">
            <Stat label="Provider calls" value={formatCount(usage.total.calls)} />
            <Stat label="Cached answers" value={formatCount(usage.total.cachedAnswers)} />
            <Stat label="Input tokens" value={formatCount(usage.total.inputTokens)} />
            <Stat label="Output tokens" value={formatCount(usage.total.outputTokens)} />
            <Stat label="Cost" value={formatMicroUsd(usage.total.costMicroUsd)} />
          </SimpleGrid>
          {!usage.total.allPriced ? <Text size="sm">Some calls used a model with no configured price: they are counted at $0.</Text> : null}
          <UsageChart lines={usage.byModel} />
          <UsageTable title={`Usage by agent, ${usage.month}`} lines={usage.byAgent} name={(line) => line.agent ?? '—'} nameHeader="Agent" />
          <UsageTable title={`Usage by model, ${usage.month}`} lines={usage.byModel} name={modelName} nameHeader="Provider and model" />
          <BudgetForm key={`${usage.budget.monthlyLimitCents}-${usage.budget.warningPercent}`} budget={usage.budget} />
        </Stack>
      ) : null}
    </QueryState>
  );
}

const modelName = (line: OpsAiUsageLineFragment) => [line.provider, line.model].filter(Boolean).join(' · ') || '—';

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg">
        {value}
      </Text>
    </Paper>
  );
}

function BudgetSummary({ budget }: { budget: OpsAiBudgetFragment }) {
  const state = BUDGET_STATE[budget.state];
  const limitMicro = budget.monthlyLimitCents * 10_000;
  const share = limitMicro > 0 ? Math.min(100, Math.round((budget.spentMicroUsd / limitMicro) * 100)) : 100;
  return (
    <Paper withBorder p="md" radius="md" role="group" aria-label={`Budget for ${budget.month}: ${state.label}`} data-testid="ai-budget">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Text fw={600}>Budget for {budget.month}</Text>
          <Group gap={6}>
            <Text size="sm">State:</Text>
            <StateBadge tone={state.tone}>{state.label}</StateBadge>
          </Group>
        </Group>
        <Text size="sm">
          Spent {formatMicroUsd(budget.spentMicroUsd)} of {formatCents(budget.monthlyLimitCents)} a month (warning at {budget.warningPercent}%)
          {budget.isDefault ? ' · the platform default, until you set your own' : ''}.
        </Text>
        <Progress value={share} aria-label="Share of the monthly budget spent" color={state.tone === 'good' ? undefined : state.tone === 'warn' ? 'orange.9' : 'red.9'} />
        <Text size="xs" c="dimmed">
          {state.help}
        </Text>
      </Stack>
    </Paper>
  );
}

function UsageChart({ lines }: { lines: OpsAiUsageLineFragment[] }) {
  const titleId = useId();
  const narrow = useMediaQuery('(max-width: 36em)');
  const data = lines.map((line) => ({ model: modelName(line), cost: line.costMicroUsd / 1_000_000, tokens: line.inputTokens + line.outputTokens }));
  return (
    <div role="group" aria-labelledby={titleId}>
      <Title order={3} size="h5" id={titleId} mb="xs">
        Cost by model this month (US dollars)
      </Title>
      {data.length === 0 ? (
        <Text c="dimmed">No model was called this month.</Text>
      ) : (
        // The numbers are in the table below as well, for those who cannot see the chart.
        <div aria-hidden="true">
          <BarChart
            h={Math.max(160, data.length * 48)}
            data={data}
            dataKey="model"
            orientation="vertical"
            yAxisProps={{ width: narrow ? 100 : 140 }}
            series={[{ name: 'cost', label: 'Cost (USD)', color: 'indigo.8' }]}
            valueFormatter={(value) => `$${value.toFixed(4)}`}
            barChartProps={{ accessibilityLayer: false }}
          />
        </div>
      )}
    </div>
  );
}

function UsageTable({ title, lines, name, nameHeader }: { title: string; lines: OpsAiUsageLineFragment[]; name: (line: OpsAiUsageLineFragment) => string; nameHeader: string }) {
  const titleId = useId();
  return (
    <div>
      <Title order={3} size="h5" id={titleId} mb="xs">
        {title}
      </Title>
      {lines.length === 0 ? (
        <Text c="dimmed">No usage this month.</Text>
      ) : (
        <ScrollRegion label={title}>
          <Table aria-labelledby={titleId} miw={560} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{nameHeader}</Table.Th>
                <Table.Th scope="col">Calls</Table.Th>
                <Table.Th scope="col">Cached</Table.Th>
                <Table.Th scope="col">Tokens in</Table.Th>
                <Table.Th scope="col">Tokens out</Table.Th>
                <Table.Th scope="col">Cost</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.map((line) => (
                <Table.Tr key={name(line)}>
                  <Table.Th scope="row">{name(line)}</Table.Th>
                  <Table.Td>{formatCount(line.calls)}</Table.Td>
                  <Table.Td>{formatCount(line.cachedAnswers)}</Table.Td>
                  <Table.Td>{formatCount(line.inputTokens)}</Table.Td>
                  <Table.Td>{formatCount(line.outputTokens)}</Table.Td>
                  <Table.Td>
                    {formatMicroUsd(line.costMicroUsd)}
                    {line.allPriced ? '' : ' (some unpriced)'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      )}
    </div>
  );
}

function BudgetForm({ budget }: { budget: OpsAiBudgetFragment }) {
  const titleId = useId();
  const [save, { loading }] = useMutation(WebOpsSetAiBudgetDocument, { refetchQueries: ['WebOpsAiUsage'], awaitRefetchQueries: true });
  const [general, setGeneral] = useState<string | null>(null);
  const form = useForm<{ limitDollars: number | string; warningPercent: number | string }>({
    initialValues: { limitDollars: budget.monthlyLimitCents / 100, warningPercent: budget.warningPercent },
    validate: {
      limitDollars: (value) => {
        const amount = typeof value === 'number' ? value : Number.parseFloat(value);
        if (value === '' || !Number.isFinite(amount)) return 'Enter the monthly limit in dollars (0 refuses every call to a model).';
        if (amount < 0) return 'The limit cannot be negative.';
        if (amount > 20_000_000) return 'The limit can be at most $20,000,000.';
        return null;
      },
      warningPercent: (value) => {
        const percent = typeof value === 'number' ? value : Number.parseFloat(value);
        return Number.isInteger(percent) && percent >= 1 && percent <= 100 ? null : 'Enter a whole percent from 1 to 100.';
      },
    },
  });

  const submit = form.onSubmit((values) =>
    userAction('set ai budget', async () => {
      setGeneral(null);
      try {
        const monthlyLimitCents = Math.round(Number(values.limitDollars) * 100);
        const result = await save({ variables: { input: { monthlyLimitCents, warningPercent: Number(values.warningPercent) } } });
        if (result.data) notify({ title: 'Budget saved.', message: `The monthly limit is ${formatCents(result.data.setAiBudget.monthlyLimitCents)}.`, tone: 'good' });
      } catch (error) {
        const errors = formErrors(error);
        form.setErrors({
          ...(errors.fields.monthlyLimitCents ? { limitDollars: errors.fields.monthlyLimitCents } : {}),
          ...(errors.fields.warningPercent ? { warningPercent: errors.fields.warningPercent } : {}),
        });
        setGeneral(errors.general ?? (Object.keys(errors.fields).length ? null : 'The budget was not saved.'));
      }
    }),
  );

  return (
    <form onSubmit={submit} noValidate aria-labelledby={titleId}>
      <Stack gap="sm" maw={520}>
        <Title order={3} size="h5" id={titleId}>
          Monthly budget
        </Title>
        <FormAlert message={general} />
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <NumberInput label="Monthly limit (US dollars)" description="0 refuses every call to a model." min={0} decimalScale={2} step={5} required {...form.getInputProps('limitDollars')} />
          <NumberInput label="Warning at (percent)" description="Of the limit, once a month." min={1} max={100} allowDecimal={false} required {...form.getInputProps('warningPercent')} />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={loading}>
            Save budget
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
