import { useMutation } from '@apollo/client/react';
import { Alert, Anchor, Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../auth/auth-context';
import { FormAlert } from '../../components/page';
import { WebRegisterDocument } from '../../generated/graphql';
import { showServerErrors } from '../../lib/errors';
import { userAction } from '../../lib/telemetry';
import { required, validEmail, validPassword } from './validation';

export function SignupPage() {
  const { login } = useAuth();
  const navigate = useNavigate();
  const [mutate, { loading }] = useMutation(WebRegisterDocument, { context: { anonymous: true } });
  const [general, setGeneral] = useState<string | null>(null);
  const [verification, setVerification] = useState<string | null>(null);
  const form = useForm({
    initialValues: { organizationName: '', name: '', email: '', password: '' },
    validate: { organizationName: required('Organization name'), name: required('Your name'), email: validEmail, password: validPassword },
  });

  const submit = form.onSubmit((values) =>
    userAction('sign up', async () => {
      setGeneral(null);
      try {
        const result = await mutate({ variables: { input: values } });
        if (!result.data) return;
        login(result.data.register);
        // Outside production the API hands the verification token over (no mail server): offer the link here.
        const token = result.data.register.emailVerificationToken;
        if (token) setVerification(token);
        else void navigate('/');
      } catch (error) {
        setGeneral(showServerErrors(form, error));
      }
    }),
  );

  if (verification) {
    return (
      <Container size={480} py="xl">
        <Title order={1} size="h2">
          Welcome aboard
        </Title>
        <Alert mt="lg" title="Verify your email address">
          <Stack gap="xs">
            <Text size="sm">In production this link arrives by email; here it is shown directly.</Text>
            <Anchor component={Link} to={`/verify-email?token=${encodeURIComponent(verification)}`}>
              Verify my email address
            </Anchor>
          </Stack>
        </Alert>
        <Button mt="lg" onClick={() => void navigate('/')}>
          Continue to the app
        </Button>
      </Container>
    );
  }

  return (
    <Container size={480} py="xl">
      <Title order={1} ta="center" size="h2">
        Create your organization
      </Title>
      <Text c="dimmed" ta="center" mt="xs">
        Already have an account?{' '}
        <Anchor component={Link} to="/login">
          Log in
        </Anchor>
      </Text>
      <Paper withBorder shadow="sm" p="lg" mt="lg" radius="md">
        <form onSubmit={submit} noValidate>
          <Stack>
            <FormAlert message={general} />
            <TextInput label="Organization name" required {...form.getInputProps('organizationName')} />
            <TextInput label="Your name" autoComplete="name" required {...form.getInputProps('name')} />
            <TextInput label="Email" type="email" autoComplete="email" required {...form.getInputProps('email')} />
            <PasswordInput label="Password" description="At least 10 characters." autoComplete="new-password" required {...form.getInputProps('password')} />
            <Button type="submit" loading={loading} fullWidth>
              Create organization
            </Button>
          </Stack>
        </form>
      </Paper>
    </Container>
  );
}
