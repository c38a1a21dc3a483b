import { useMutation } from '@apollo/client/react';
import { Button, Group, NativeSelect, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { FormAlert } from '../../components/page';
import { WebOpsStartGenerationDocument, type Channel } from '../../generated/graphql';
import { formErrors } from '../../lib/errors';
import { userAction } from '../../lib/telemetry';
import { notify } from './shared';

export const CHANNELS: { value: Channel; label: string }[] = [
  { value: 'BLOG', label: 'Blog' },
  { value: 'EMAIL', label: 'Email' },
  { value: 'LINKEDIN', label: 'LinkedIn' },
  { value: 'X', label: 'X' },
  { value: 'FACEBOOK', label: 'Facebook' },
  { value: 'INSTAGRAM', label: 'Instagram' },
  { value: 'TIKTOK', label: 'TikTok' },
];

interface Values {
  brandName: string;
  voice: string;
  wordsToUse: string;
  wordsToAvoid: string;
  audience: string;
  channel: string;
  brief: string;
  keywords: string;
  callToAction: string;
  link: string;
}

/** A comma-separated list as the API wants it: trimmed, no empty items. */
export function splitList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

const maxLength = (label: string, max: number) => (value: string) => (value.trim().length > max ? `${label}: at most ${max} characters.` : null);

const listRule = (label: string, maxItems: number) => (value: string) => {
  const items = splitList(value);
  if (items.length > maxItems) return `${label}: at most ${maxItems}.`;
  const long = items.find((item) => item.length > 80);
  return long ? `${label}: each at most 80 characters ("${long.slice(0, 20)}…" is longer).` : null;
};

/** The form field a server error names (`input.brand.name`, `input.keywords.3` once `input.` is stripped). */
export function formField(serverField: string): keyof Values | null {
  const [head, second] = serverField.split('.');
  if (head === 'brand') {
    const byBrandField: Record<string, keyof Values> = { name: 'brandName', voice: 'voice', wordsToUse: 'wordsToUse', wordsToAvoid: 'wordsToAvoid', audience: 'audience' };
    return byBrandField[second ?? 'name'] ?? 'brandName';
  }
  const direct: (keyof Values)[] = ['channel', 'brief', 'keywords', 'callToAction', 'link'];
  return direct.find((name) => name === head) ?? null;
}

/** Starts a CONTENT generation: the brand, the channel and the brief, checked here first (the server checks again). */
export function GenerationForm({ onStarted }: { onStarted?: (jobId: string) => void }) {
  const [start, { loading }] = useMutation(WebOpsStartGenerationDocument, { refetchQueries: ['WebOpsGenerationJobs'], awaitRefetchQueries: true });
  const [general, setGeneral] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: { brandName: '', voice: '', wordsToUse: '', wordsToAvoid: '', audience: '', channel: '', brief: '', keywords: '', callToAction: '', link: '' },
    validate: {
      brandName: (value) => (value.trim() ? maxLength('Brand name', 200)(value) : 'Brand name is required.'),
      voice: maxLength('Voice', 2000),
      audience: maxLength('Audience', 2000),
      wordsToUse: listRule('Words to use', 50),
      wordsToAvoid: listRule('Words to avoid', 100),
      channel: (value) => (CHANNELS.some((c) => c.value === value) ? null : 'Choose a channel.'),
      brief: (value) => (value.trim() ? maxLength('Brief', 20_000)(value) : 'Brief is required: say what the piece must achieve.'),
      keywords: listRule('Keywords', 20),
      callToAction: maxLength('Call to action', 200),
      link: (value) => (!value.trim() || /^https?:\/\/[^\s/]+\.[^\s]+$/.test(value.trim()) ? null : 'Enter a web address starting with https://, or leave it empty.'),
    },
  });

  const submit = form.onSubmit((values) =>
    userAction('start generation', async () => {
      setGeneral(null);
      try {
        const input = {
          brand: {
            name: values.brandName.trim(),
            voice: values.voice.trim(),
            wordsToUse: splitList(values.wordsToUse),
            wordsToAvoid: splitList(values.wordsToAvoid),
            audience: values.audience.trim(),
          },
          channel: values.channel,
          brief: values.brief.trim(),
          keywords: splitList(values.keywords),
          callToAction: values.callToAction.trim(),
          link: values.link.trim(),
        };
        const result = await start({ variables: { input: { task: 'CONTENT', input } } });
        const job = result.data?.startGeneration;
        if (job) {
          notify({ title: 'Generation started.', message: 'It is queued: follow it in the jobs list below.', tone: 'good' });
          onStarted?.(job.id);
        }
      } catch (error) {
        const errors = formErrors(error);
        const byField: Partial<Record<keyof Values, string>> = {};
        const unplaced: string[] = [];
        for (const [field, message] of Object.entries(errors.fields)) {
          const target = formField(field);
          if (target) byField[target] ??= message;
          else unplaced.push(message);
        }
        form.setErrors(byField);
        setGeneral(errors.general ?? unplaced[0] ?? null);
      }
    }),
  );

  return (
    <form onSubmit={submit} noValidate aria-label="Start a content generation">
      <Stack>
        <FormAlert message={general} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Brand name" required {...form.getInputProps('brandName')} />
          <NativeSelect label="Channel" required data={[{ value: '', label: 'Choose a channel' }, ...CHANNELS]} {...form.getInputProps('channel')} />
        </SimpleGrid>
        <Textarea label="Brief" description="What the piece must say and achieve." required autosize minRows={3} maxRows={10} {...form.getInputProps('brief')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Voice" description="How the brand speaks, e.g. warm, plain-spoken." {...form.getInputProps('voice')} />
          <TextInput label="Audience" description="Who the brand speaks to." {...form.getInputProps('audience')} />
          <TextInput label="Words to use" description="Separate them with commas." {...form.getInputProps('wordsToUse')} />
          <TextInput label="Words to avoid" description="Separate them with commas." {...form.getInputProps('wordsToAvoid')} />
          <TextInput label="Keywords" description="Separate them with commas (20 at most)." {...form.getInputProps('keywords')} />
          <TextInput label="Call to action" description="Optional: the writer picks one otherwise." {...form.getInputProps('callToAction')} />
          <TextInput label="Link" description="Optional: where the call to action leads." type="url" {...form.getInputProps('link')} />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={loading}>
            Start generation
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
