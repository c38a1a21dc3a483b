import { useMutation } from '@apollo/client/react';
import { Anchor, Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../auth/auth-context';
import { FormAlert } from '../../components/page';
import { WebLoginDocument } from '../../generated/graphql';
import { showServerErrors } from '../../lib/errors';
import { userAction } from '../../lib/telemetry';
import { validEmail } from './validation';

export function LoginPage() {
  const { login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [mutate, { loading }] = useMutation(WebLoginDocument, { context: { anonymous: true } });
  const [general, setGeneral] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: { email: validEmail, password: (value) => (value ? null : 'Enter your password.') },
  });

  const submit = form.onSubmit((values) =>
    userAction('log in', async () => {
      setGeneral(null);
      try {
        const result = await mutate({ variables: { input: values } });
        if (result.data) {
          login(result.data.login);
          void navigate(params.get('next') ?? '/');
        }
      } catch (error) {
        setGeneral(showServerErrors(form, error));
      }
    }),
  );

  return (
    <Container size={420} py="xl">
      <Title order={1} ta="center" size="h2">
        Log in
      </Title>
      <Text c="dimmed" ta="center" mt="xs">
        No account yet?{' '}
        <Anchor component={Link} to="/signup">
          Create an organization
        </Anchor>
      </Text>
      <Paper withBorder shadow="sm" p="lg" mt="lg" radius="md">
        <form onSubmit={submit} noValidate>
          <Stack>
            <FormAlert message={general} />
            <TextInput label="Email" type="email" autoComplete="email" required {...form.getInputProps('email')} />
            <PasswordInput label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
            <Button type="submit" loading={loading} fullWidth>
              Log in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Container>
  );
}
