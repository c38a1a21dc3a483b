import { Anchor, SimpleGrid, Text, Card, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useSession } from '../auth/auth-context';
import { NAV } from '../components/app-layout';
import { PageHeader } from '../components/page';

/** Where a person lands: the organization's sections. */
export function HomePage() {
  const session = useSession();
  const items = NAV.filter((item) => !item.roles || item.roles.includes(session.role));
  return (
    <>
      <PageHeader title={session.organization.name} description={`Logged in as ${session.user.name} (${session.role}).`} />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {items.map((item) => (
          <Card key={item.to} withBorder padding="md">
            <Title order={2} size="h4">
              <Anchor component={Link} to={item.to}>
                {item.label}
              </Anchor>
            </Title>
          </Card>
        ))}
      </SimpleGrid>
      <Text c="dimmed" size="sm" mt="xl">
        Developers: the graph is at <Anchor href="/graphql">/graphql</Anchor>.
      </Text>
    </>
  );
}
