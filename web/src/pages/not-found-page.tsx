import { Anchor, Container, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <Container py="xl">
      <Title order={1} size="h2">
        Page not found
      </Title>
      <Text mt="md">
        <Anchor component={Link} to="/">
          Back to the start
        </Anchor>
      </Text>
    </Container>
  );
}
