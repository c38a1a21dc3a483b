import { useMutation } from '@apollo/client/react';
import { Alert, Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../auth/auth-context';
import { FormAlert } from '../../components/page';
import { WebAcceptInvitationDocument } from '../../generated/graphql';
import { showServerErrors } from '../../lib/errors';
import { userAction } from '../../lib/telemetry';

/** Opened from an invitation link: a new account (name and password), or an existing one (its password). */
export function AcceptInvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { login } = useAuth();
  const navigate = useNavigate();
  const [mutate, { loading }] = useMutation(WebAcceptInvitationDocument, { context: { anonymous: true } });
  const [general, setGeneral] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', password: '' },
    validate: { password: (value) => (value.length >= 10 ? null : 'Use at least 10 characters (or your existing password).') },
  });

  const submit = form.onSubmit((values) =>
    userAction('accept invitation', async () => {
      setGeneral(null);
      try {
        const result = await mutate({ variables: { input: { token, password: values.password, ...(values.name.trim() ? { name: values.name.trim() } : {}) } } });
        if (result.data) {
          login(result.data.acceptInvitation);
          void navigate('/');
        }
      } catch (error) {
        setGeneral(showServerErrors(form, error));
      }
    }),
  );

  return (
    <Container size={480} py="xl">
      <Title order={1} size="h2" ta="center">
        Join your team
      </Title>
      <Text c="dimmed" ta="center" mt="xs">
        New here? Choose your name and a password. Already have an account? Enter its password.
      </Text>
      {!token ? (
        <Alert color="red" mt="lg">
          This link has no invitation token: open the link you were sent again.
        </Alert>
      ) : (
        <Paper withBorder shadow="sm" p="lg" mt="lg" radius="md">
          <form onSubmit={submit} noValidate>
            <Stack>
              <FormAlert message={general} />
              <TextInput label="Your name" autoComplete="name" {...form.getInputProps('name')} />
              <PasswordInput label="Password" autoComplete="new-password" required {...form.getInputProps('password')} />
              <Button type="submit" loading={loading} fullWidth>
                Join
              </Button>
            </Stack>
          </form>
        </Paper>
      )}
    </Container>
  );
}
