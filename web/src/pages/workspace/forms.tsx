import type { ApolloCache } from '@apollo/client';
import { useMutation } from '@apollo/client/react';
import { Button, Group, Modal, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery, useReducedMotion } from '@mantine/hooks';
import { useState, type CSSProperties, type ReactNode } from 'react';
import { FormAlert } from '../../components/page';
import {
  WebWsCreateBrandDocument,
  WebWsCreateContentDocument,
  WebWsCreateProjectDocument,
  WebWsPlanCalendarEntryDocument,
  WebWsSchedulePublicationDocument,
  type Channel,
  type ProjectType,
  type WebWsCreateBrandMutation,
  type WebWsCreateContentMutation,
} from '../../generated/graphql';
import { userAction } from '../../lib/telemetry';
import { BrandSelect, ContentSelect, ProjectSelect } from './pickers';
import { CHANNEL_LABELS, check, choices, insertIntoConnection, localDateTimeToIso, localDateToIso, notifyDone, PROJECT_TYPE_LABELS, tomorrowAt } from './shared';
import { showServerErrors } from '../../lib/errors';

interface ModalProps {
  opened: boolean;
  onClose: () => void;
}

// The theme's error red (red 6) has 3.3:1 contrast on white; its messages need 4.5:1 (red 9 has 5.5:1).
const READABLE_ERRORS = { '--mantine-color-error': 'var(--mantine-color-red-9)' } as CSSProperties;

/** A form in a dialog (full screen on a phone, without animation for those who ask for less motion); its name is its title. */
function FormModal({ title, opened, onClose, children }: ModalProps & { title: string; children: ReactNode }) {
  const phone = useMediaQuery('(max-width: 36em)');
  const still = useReducedMotion();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      size="lg"
      fullScreen={phone ?? false}
      closeButtonProps={{ 'aria-label': 'Close' }}
      style={READABLE_ERRORS}
      transitionProps={still ? { duration: 0 } : {}}
    >
      {children}
    </Modal>
  );
}

function FormButtons({ submit, loading, onCancel }: { submit: string; loading: boolean; onCancel: () => void }) {
  return (
    <Group justify="flex-end" mt="sm">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={loading}>
        {submit}
      </Button>
    </Group>
  );
}

const optional = (value: string) => value.trim() || null;

/** "New brand": name, website, industry, voice. */
export function NewBrandModal({ opened, onClose, onCreated }: ModalProps & { onCreated: (brand: WebWsCreateBrandMutation['createBrand']) => void }) {
  const [mutate, { loading }] = useMutation(WebWsCreateBrandDocument);
  const [general, setGeneral] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', website: '', industry: '', voice: '' },
    validate: {
      name: check.all(check.required('Brand name'), check.maxLength('Brand name', 120)),
      website: check.optionalHttpUrl,
      industry: check.maxLength('Industry', 120),
      voice: check.maxLength('Voice', 2000),
    },
  });
  const close = () => {
    form.reset();
    setGeneral(null);
    onClose();
  };
  const submit = form.onSubmit((values) =>
    userAction('create brand', async () => {
      setGeneral(null);
      try {
        const result = await mutate({
          variables: { input: { name: values.name.trim(), website: optional(values.website), industry: optional(values.industry), voice: optional(values.voice) } },
          update: (cache, { data }) => {
            if (data) insertIntoConnection(cache, { parent: 'ROOT_QUERY', field: 'brands', node: data.createBrand, sortKey: 'createdAt' });
          },
        });
        if (!result.data) return;
        notifyDone(`Brand “${result.data.createBrand.name}” created.`);
        close();
        onCreated(result.data.createBrand);
      } catch (error) {
        setGeneral(showServerErrors(form, error));
      }
    }),
  );
  return (
    <FormModal title="New brand" opened={opened} onClose={close}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormAlert message={general} />
          <TextInput label="Brand name" description="Unique in your organization." required data-autofocus {...form.getInputProps('name')} />
          <TextInput label="Website" type="url" placeholder="https://example.com" {...form.getInputProps('website')} />
          <TextInput label="Industry" {...form.getInputProps('industry')} />
          <Textarea label="Voice" description="How the brand speaks, e.g. warm, plain-spoken, no jargon." autosize minRows={2} maxRows={6} {...form.getInputProps('voice')} />
          <FormButtons submit="Create brand" loading={loading} onCancel={close} />
        </Stack>
      </form>
    </FormModal>
  );
}

/** "New project" for a brand: name, type, due date. */
export function NewProjectModal({ brandId, opened, onClose }: ModalProps & { brandId: string }) {
  const [mutate, { loading }] = useMutation(WebWsCreateProjectDocument);
  const [general, setGeneral] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', type: 'BLOG' as ProjectType | '', dueAt: '' },
    validate: {
      name: check.all(check.required('Project name'), check.maxLength('Project name', 200)),
      type: (value) => (value ? null : 'Choose a project type.'),
      dueAt: (value) => (!value || localDateToIso(value) ? null : 'Enter a date, or leave it empty.'),
    },
  });
  const close = () => {
    form.reset();
    setGeneral(null);
    onClose();
  };
  const submit = form.onSubmit((values) =>
    userAction('create project', async () => {
      setGeneral(null);
      if (!values.type) return;
      try {
        const result = await mutate({
          variables: { input: { brandId, name: values.name.trim(), type: values.type, dueAt: values.dueAt ? localDateToIso(values.dueAt) : null } },
          update: (cache, { data }) => {
            if (data) insertIntoConnection(cache, { parent: cache.identify({ __typename: 'Brand', id: brandId }), field: 'projects', node: data.createProject, sortKey: 'createdAt' });
          },
        });
        if (!result.data) return;
        notifyDone(`Project “${result.data.createProject.name}” created.`);
        close();
      } catch (error) {
        setGeneral(showServerErrors(form, error));
      }
    }),
  );
  return (
    <FormModal title="New project" opened={opened} onClose={close}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormAlert message={general} />
          <TextInput label="Project name" required data-autofocus {...form.getInputProps('name')} />
          <NativeSelect label="Project type" required data={choices(PROJECT_TYPE_LABELS)} {...form.getInputProps('type')} />
          <TextInput label="Due date" type="date" description="Optional." {...form.getInputProps('dueAt')} />
          <FormButtons submit="Create project" loading={loading} onCancel={close} />
        </Stack>
      </form>
    </FormModal>
  );
}

/** "Plan an entry" in a brand's calendar: channel, title, time, notes. */
export function PlanEntryModal({ brandId, opened, onClose }: ModalProps & { brandId: string }) {
  const [mutate, { loading }] = useMutation(WebWsPlanCalendarEntryDocument);
  const [general, setGeneral] = useState<string | null>(null);
  const form = useForm({
    initialValues: { channel: 'BLOG' as Channel | '', title: '', scheduledAt: tomorrowAt(10), notes: '' },
    validate: {
      channel: (value) => (value ? null : 'Choose a channel.'),
      title: check.all(check.required('Entry title'), check.maxLength('Entry title', 200)),
      scheduledAt: check.dateTime('Scheduled time', { future: false }),
      notes: check.maxLength('Notes', 5000),
    },
  });
  const close = () => {
    form.reset();
    form.setFieldValue('scheduledAt', tomorrowAt(10));
    setGeneral(null);
    onClose();
  };
  const submit = form.onSubmit((values) =>
    userAction('plan calendar entry', async () => {
      setGeneral(null);
      const scheduledAt = localDateTimeToIso(values.scheduledAt);
      if (!values.channel || !scheduledAt) return;
      try {
        const result = await mutate({
          variables: { input: { brandId, channel: values.channel, title: values.title.trim(), scheduledAt, notes: optional(values.notes) } },
          update: (cache, { data }) => {
            if (data) insertIntoConnection(cache, { parent: cache.identify({ __typename: 'Brand', id: brandId }), field: 'calendar', node: data.planCalendarEntry, sortKey: 'scheduledAt' });
          },
        });
        if (!result.data) return;
        notifyDone(`“${result.data.planCalendarEntry.title}” planned.`);
        close();
      } catch (error) {
        setGeneral(showServerErrors(form, error));
      }
    }),
  );
  return (
    <FormModal title="Plan an entry" opened={opened} onClose={close}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormAlert message={general} />
          <NativeSelect label="Channel" required data={choices(CHANNEL_LABELS)} {...form.getInputProps('channel')} />
          <TextInput label="Entry title" required data-autofocus {...form.getInputProps('title')} />
          <TextInput label="Scheduled time" type="datetime-local" required {...form.getInputProps('scheduledAt')} />
          <Textarea label="Notes" autosize minRows={2} maxRows={6} {...form.getInputProps('notes')} />
          <FormButtons submit="Plan entry" loading={loading} onCancel={close} />
        </Stack>
      </form>
    </FormModal>
  );
}

function addContent(cache: ApolloCache, content: WebWsCreateContentMutation['createContent']) {
  insertIntoConnection(cache, { parent: 'ROOT_QUERY', field: 'contents', node: content, sortKey: 'createdAt' });
  if (content.project) insertIntoConnection(cache, { parent: cache.identify({ __typename: 'Project', id: content.project.id }), field: 'contents', node: content, sortKey: 'createdAt' });
}

/** "New content" for a project: brand then project, channel, title, body. */
export function NewContentModal({ opened, onClose }: ModalProps) {
  const [mutate, { loading }] = useMutation(WebWsCreateContentDocument);
  const [general, setGeneral] = useState<string | null>(null);
  const form = useForm({
    initialValues: { brandId: '', projectId: '', channel: 'BLOG' as Channel | '', title: '', body: '' },
    validate: {
      brandId: (value) => (value ? null : 'Choose a brand.'),
      projectId: (value) => (value ? null : 'Choose a project.'),
      channel: (value) => (value ? null : 'Choose a channel.'),
      title: check.all(check.required('Content title'), check.maxLength('Content title', 300)),
      body: check.all(check.required('Body'), check.maxLength('Body', 100_000)),
    },
  });
  const close = () => {
    form.reset();
    setGeneral(null);
    onClose();
  };
  const submit = form.onSubmit((values) =>
    userAction('create content', async () => {
      setGeneral(null);
      if (!values.channel) return;
      try {
        const result = await mutate({
          variables: { input: { projectId: values.projectId, channel: values.channel, title: values.title.trim(), body: values.body.trim() } },
          update: (cache, { data }) => {
            if (data) addContent(cache, data.createContent);
          },
        });
        if (!result.data) return;
        notifyDone(`Content “${result.data.createContent.title}” created.`);
        close();
      } catch (error) {
        setGeneral(showServerErrors(form, error));
      }
    }),
  );
  const brandProps = form.getInputProps('brandId');
  return (
    <FormModal title="New content" opened={opened} onClose={close}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormAlert message={general} />
          <BrandSelect
            label="Brand"
            required
            value={form.values.brandId}
            error={brandProps.error as ReactNode}
            onChange={(value) => {
              form.setFieldValue('brandId', value);
              form.setFieldValue('projectId', '');
            }}
          />
          <ProjectSelect
            label="Project"
            required
            brandId={form.values.brandId}
            value={form.values.projectId}
            error={form.errors.projectId}
            onChange={(value) => form.setFieldValue('projectId', value)}
          />
          <NativeSelect label="Channel" required data={choices(CHANNEL_LABELS)} {...form.getInputProps('channel')} />
          <TextInput label="Content title" required {...form.getInputProps('title')} />
          <Textarea label="Body" required autosize minRows={4} maxRows={12} {...form.getInputProps('body')} />
          <FormButtons submit="Create content" loading={loading} onCancel={close} />
        </Stack>
      </form>
    </FormModal>
  );
}

/** "Schedule a publication": a piece of content, a channel (the content's own by default), a time. */
export function SchedulePublicationModal({ opened, onClose }: ModalProps) {
  const [mutate, { loading }] = useMutation(WebWsSchedulePublicationDocument);
  const [general, setGeneral] = useState<string | null>(null);
  const form = useForm({
    initialValues: { contentId: '', channel: 'BLOG' as Channel | '', scheduledAt: tomorrowAt(9) },
    validate: {
      contentId: (value) => (value ? null : 'Choose the content to publish.'),
      channel: (value) => (value ? null : 'Choose a channel.'),
      scheduledAt: check.dateTime('Publication time', { future: true }),
    },
  });
  const close = () => {
    form.reset();
    form.setFieldValue('scheduledAt', tomorrowAt(9));
    setGeneral(null);
    onClose();
  };
  const submit = form.onSubmit((values) =>
    userAction('schedule publication', async () => {
      setGeneral(null);
      const scheduledAt = localDateTimeToIso(values.scheduledAt);
      if (!values.channel || !scheduledAt) return;
      try {
        const result = await mutate({
          variables: { input: { contentId: values.contentId, channel: values.channel, scheduledAt } },
          update: (cache, { data }) => {
            if (!data) return;
            insertIntoConnection(cache, { parent: 'ROOT_QUERY', field: 'publications', node: data.schedulePublication, sortKey: 'scheduledAt' });
            insertIntoConnection(cache, { parent: cache.identify({ __typename: 'Content', id: values.contentId }), field: 'publications', node: data.schedulePublication, sortKey: 'scheduledAt' });
          },
        });
        if (!result.data) return;
        notifyDone(`Publication scheduled for ${result.data.schedulePublication.content?.title ?? 'the content'}.`);
        close();
      } catch (error) {
        setGeneral(showServerErrors(form, error));
      }
    }),
  );
  return (
    <FormModal title="Schedule a publication" opened={opened} onClose={close}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormAlert message={general} />
          <ContentSelect
            label="Content"
            required
            value={form.values.contentId}
            error={form.errors.contentId}
            onChange={(value, channel) => {
              form.setFieldValue('contentId', value);
              if (channel) form.setFieldValue('channel', channel);
            }}
          />
          <NativeSelect label="Channel" required data={choices(CHANNEL_LABELS)} {...form.getInputProps('channel')} />
          <TextInput label="Publication time" type="datetime-local" required description="Not in the past." {...form.getInputProps('scheduledAt')} />
          <FormButtons submit="Schedule publication" loading={loading} onCancel={close} />
        </Stack>
      </form>
    </FormModal>
  );
}
