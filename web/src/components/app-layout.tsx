import { AppShell, Burger, Button, Group, NavLink, ScrollArea, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { ROLES, useAuth, useSession } from '../auth/auth-context';
import type { Role } from '../generated/graphql';

interface NavItem {
  to: string;
  label: string;
  /** Only these roles see it (everyone when absent). */
  roles?: readonly Role[];
}

/** The app's sections, in the navigation's order. */
export const NAV: NavItem[] = [
  { to: '/brands', label: 'Brands & projects' },
  { to: '/calendar', label: 'Calendar' },
  { to: '/content', label: 'Content' },
  { to: '/publications', label: 'Publications' },
  { to: '/ai', label: 'AI jobs' },
  { to: '/connections', label: 'Platform connections' },
  { to: '/members', label: 'Members' },
  { to: '/api-keys', label: 'API keys', roles: ROLES.admins },
  { to: '/audit', label: 'Audit events', roles: ROLES.admins },
  { to: '/dead-letters', label: 'Dead letters', roles: ROLES.admins },
  { to: '/monitoring', label: 'Circuit monitoring', roles: ROLES.admins },
];

/** The shell of every page behind the login: header, navigation (a drawer on a phone), the page. */
export function AppLayout() {
  const session = useSession();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const items = NAV.filter((item) => !item.roles || item.roles.includes(session.role));
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? 'Close navigation' : 'Open navigation'} />
            <Text fw={700} component={Link} to="/" c="inherit" td="none">
              Ultimate Marketing Team
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="xs" data-testid="whoami">
              {session.user.name} · {session.organization.name} · <span data-testid="role">{session.role}</span>
            </Text>
            <Button
              variant="default"
              size="xs"
              onClick={() => {
                void logout().then(() => navigate('/login'));
              }}
            >
              Log out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <ScrollArea>
          {items.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              active={location.pathname === item.to || location.pathname.startsWith(`${item.to}/`)}
              aria-current={location.pathname === item.to ? 'page' : undefined}
              onClick={close}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <VisuallyHidden>
          <span aria-live="polite">{location.pathname}</span>
        </VisuallyHidden>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
