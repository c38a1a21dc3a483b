import { Alert } from '@mantine/core';
import { ROLES, useCan } from '../../auth/auth-context';
import { PageHeader, Section } from '../../components/page';
import { AiUsage } from './ai-usage';
import { GenerationForm } from './generation-form';
import { GenerationJobs } from './generation-jobs';

/** AI generations: start one (content editors), follow every job live, and (admins) this month's usage and budget. */
export function AiPage() {
  const canStart = useCan(ROLES.contentEditors);
  const isAdmin = useCan(ROLES.admins);
  return (
    <>
      <PageHeader title="AI jobs" description="Content written by the AI agents in the background: start a generation, follow its progress, read the result." />
      <Section title="Start a content generation">
        {canStart ? (
          <GenerationForm />
        ) : (
          <Alert color="gray" title="Read only">
            Your role can follow the generations but not start them: content creators, brand managers, admins and owners start them.
          </Alert>
        )}
      </Section>
      <Section title="Generation jobs">
        <GenerationJobs />
      </Section>
      {isAdmin ? (
        <Section title="AI usage this month">
          <AiUsage />
        </Section>
      ) : null}
    </>
  );
}
