import { useMutation } from '@apollo/client/react';
import { Anchor, Group, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page';
import { WebOpsCompletePlatformConnectionDocument } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { userAction } from '../../lib/telemetry';
import { connectionName, HEALTH, HealthBadge } from './connections-page';
import { StateBadge, ToneAlert } from './shared';

/**
 * Where the platform's consent redirect ends (through the gateway's /integrations/oauth/callback): completes the
 * connection with the code and state it brought back, with the person's own session, once.
 */
export function ConnectionCallbackPage() {
  const [params] = useSearchParams();
  const code = params.get('code') ?? '';
  const state = params.get('state') ?? '';
  const refused = params.get('error');
  const refusal = params.get('error_description');
  const [complete, { data, error, loading, called }] = useMutation(WebOpsCompletePlatformConnectionDocument, { refetchQueries: ['WebOpsPlatformConnections'] });
  const sent = useRef(false);

  useEffect(() => {
    if (sent.current || refused || !code || !state) return;
    sent.current = true;
    void userAction('complete platform connection', () => complete({ variables: { input: { code, state } } })).catch(() => undefined);
  }, [code, state, refused, complete]);

  const connection = data?.completePlatformConnection;
  const back = connection ? `/connections?brand=${encodeURIComponent(connection.brandId)}` : '/connections';

  return (
    <>
      <PageHeader title="Connecting an account" />
      <Stack maw={640}>
        {refused ? (
          <ToneAlert tone="bad" title="The platform did not connect the account" role="alert">
            {refused}
            {refusal ? `: ${refusal}` : ''}
          </ToneAlert>
        ) : !code || !state ? (
          <ToneAlert tone="bad" title="Nothing to connect" role="alert">
            This page expects the code and state a platform sends back after its consent page. Start again from the platform connections.
          </ToneAlert>
        ) : null}
        {loading || (!called && code && state && !refused) ? (
          <Group gap="sm" aria-busy="true">
            <Loader size="sm" aria-label="Finishing the connection" />
            <Text>Finishing the connection…</Text>
          </Group>
        ) : null}
        {connection ? (
          <ToneAlert tone="good" title="Account connected" role="status">
            <Stack gap="xs">
              <Text size="sm">
                The {connectionName(connection)} is connected. Health: <strong>{HEALTH[connection.health].label}</strong>.
              </Text>
              <Group gap="xs">
                <HealthBadge health={connection.health} />
                {connection.sandbox ? <StateBadge tone="accent">Sandbox</StateBadge> : null}
              </Group>
            </Stack>
          </ToneAlert>
        ) : null}
        {error ? (
          <ToneAlert tone="bad" title="The account was not connected" role="alert">
            {errorMessage(error)} The link works once and for ten minutes: start again from the platform connections.
          </ToneAlert>
        ) : null}
        <Anchor component={Link} to={back}>
          Back to platform connections
        </Anchor>
      </Stack>
    </>
  );
}
