import { useMutation } from '@apollo/client/react';
import { Alert, Anchor, Container, Loader, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { WebVerifyEmailDocument } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { userAction } from '../../lib/telemetry';

/** Opened from the verification link: confirms the address once. */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [verify, { data, error, loading }] = useMutation(WebVerifyEmailDocument, { context: { anonymous: true } });
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current || !token) return;
    sent.current = true;
    void userAction('verify email', () => verify({ variables: { token } })).catch(() => undefined);
  }, [token, verify]);

  return (
    <Container size={480} py="xl">
      <Title order={1} size="h2" mb="lg">
        Email verification
      </Title>
      {!token ? <Alert color="red">This link has no token: open the link from the email again.</Alert> : null}
      {loading ? <Loader aria-label="Verifying" /> : null}
      {data?.verifyEmail ? (
        <Alert color="green" title="Your email address is verified">
          <Anchor component={Link} to="/">
            Go to the app
          </Anchor>
        </Alert>
      ) : null}
      {error ? <Alert color="red" title="This link does not work">{errorMessage(error)}</Alert> : null}
    </Container>
  );
}
