import { Alert, Anchor, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ROLES, useCan } from '../../auth/auth-context';
import { FormAlert, PageHeader } from '../../components/page';
import type { Role } from '../../generated/graphql';

/** The roles, most powerful first, with the words the pages show for them. */
export const ROLE_LABELS: Record<Role, string> = {
  OWNER: 'Owner',
  ADMIN: 'Admin',
  BRAND_MANAGER: 'Brand manager',
  CONTENT_CREATOR: 'Content creator',
  VIEWER: 'Viewer',
};

/** The roles a caller may grant: only an OWNER grants OWNER (the server refuses anyone else). */
export function grantableRoles(callerIsOwner: boolean): { value: Role; label: string }[] {
  return (Object.keys(ROLE_LABELS) as Role[]).filter((role) => callerIsOwner || role !== 'OWNER').map((role) => ({ value: role, label: ROLE_LABELS[role] }));
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A date-time as the page shows it, in a <time> element; `fallback` when there is none. */
export function When({ value, dateOnly = false, fallback = '—' }: { value: string | null | undefined; dateOnly?: boolean; fallback?: ReactNode }) {
  if (!value) return <>{fallback}</>;
  const date = new Date(value);
  return <time dateTime={value}>{(dateOnly ? DATE : DATE_TIME).format(date)}</time>;
}

/**
 * An admin page's gate: OWNER and ADMIN see `children`; anyone else who opens the URL (the navigation hides it)
 * gets the page's title and a "Not allowed" message instead. The page's queries never run for them.
 */
export function AdminOnly({ title, children }: { title: string; children: ReactNode }) {
  const allowed = useCan(ROLES.admins);
  if (allowed) return <>{children}</>;
  return (
    <>
      <PageHeader title={title} />
      <Alert color="yellow" title="Not allowed" role="alert" styles={READABLE_ALERT}>
        <Stack gap="xs" align="flex-start">
          <Text size="sm">Only the organization&rsquo;s owners and admins can use this page. Ask one of them if you need something here.</Text>
          <Anchor component={Link} to="/" size="sm">
            Back to the start page
          </Anchor>
        </Stack>
      </Alert>
    </>
  );
}

/**
 * A table that scrolls sideways on a narrow screen (a phone) instead of squeezing its columns; `label` is its
 * accessible name. While it scrolls, its container is a named, focusable region, so a keyboard can scroll it too.
 */
export function DataTable({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  const container = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const element = container.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setScrolls(element.scrollWidth > element.clientWidth + 1));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <Table.ScrollContainer ref={container} minWidth={minWidth} type="native" {...(scrolls ? { tabIndex: 0, role: 'region', 'aria-label': `${label} (scrolls sideways)` } : {})}>
      <Table aria-label={label} striped highlightOnHover verticalSpacing="xs">
        {children}
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * An alert's title in the text colour: Mantine's light alerts colour their title with the alert's colour, too pale
 * on its tinted background for WCAG AA contrast (yellow, green, red); the icon and background still carry the tone.
 */
export const READABLE_ALERT = { title: { color: 'var(--mantine-color-text)' } } as const;

/**
 * What the last change came to, beside the list it changed: a polite live region (always rendered, so screen readers
 * hear the message when it appears), where a corner notification would fade in and out of reach.
 */
export function StatusMessage({ message }: { message: string | null }) {
  return (
    <div role="status" aria-live="polite">
      {message ? (
        <Text size="sm" fw={500} mb="sm" data-testid="status-message">
          ✓ {message}
        </Text>
      ) : null}
    </div>
  );
}

/** The props every modal of these pages shares: a labelled close button. */
export const MODAL_PROPS = { closeButtonProps: { 'aria-label': 'Close' }, centered: true } as const;

/** "Are you sure?" for a destructive action: its consequences, the server's error if it refused, and the button. */
export function ConfirmModal({
  opened,
  title,
  confirmLabel,
  loading,
  error,
  onConfirm,
  onClose,
  children,
}: {
  opened: boolean;
  title: string;
  confirmLabel: string;
  loading: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} {...MODAL_PROPS}>
      <Stack>
        <FormAlert message={error} />
        {children}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" loading={loading} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
