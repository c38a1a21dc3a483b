import { Alert, Badge, type AlertProps, type BadgeProps } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { useCan } from '../../auth/auth-context';
import { PageHeader } from '../../components/page';
import type { Role } from '../../generated/graphql';

/**
 * Colours dark enough for white badge text at 4.5:1 (WCAG AA); every badge also says its state in words, so the colour
 * is never the only sign.
 */
export const TONE = {
  good: '#1b6e2f',
  warn: '#8a4b00',
  bad: '#c92a2a',
  info: '#364fc7',
  neutral: '#495057',
  accent: '#0b7285',
} as const;

export type Tone = keyof typeof TONE;

/** A state in words, on a colour that repeats it. */
export function StateBadge({ tone, children, ...props }: { tone: Tone; children: ReactNode } & Omit<BadgeProps, 'color' | 'variant'>) {
  return (
    <Badge color={TONE[tone]} variant="filled" {...props}>
      {children}
    </Badge>
  );
}

const ALERT_COLOR: Record<Tone, string> = { good: 'green', warn: 'orange', bad: 'red', info: 'indigo', neutral: 'gray', accent: 'cyan' };

/**
 * An Alert whose title keeps 4.5:1 contrast on its tinted background (Mantine's light variant puts shade 9 on shade 1,
 * too pale for green and orange) and whose text is the page's text colour.
 */
export function ToneAlert({ tone, children, ...props }: { tone: Tone; children: ReactNode } & Omit<AlertProps, 'color' | 'styles'>) {
  return (
    <Alert color={ALERT_COLOR[tone]} styles={{ title: { color: TONE[tone] }, message: { color: 'var(--mantine-color-text)' } }} {...props}>
      {children}
    </Alert>
  );
}

/**
 * A notification: its title inline in the message (a titled notification greys its message below 4.5:1 contrast) and
 * a close button with a name.
 */
export function notify({ title, message, tone }: { title: string; message?: string | null; tone: Tone }) {
  notifications.show({
    color: ALERT_COLOR[tone],
    message: (
      <>
        <strong>{title}</strong>
        {message ? ` ${message}` : ''}
      </>
    ),
    closeButtonProps: { 'aria-label': 'Close notification' },
  });
}

/** A page only some roles may open: the others get its title and a sentence saying why there is nothing. */
export function RoleGate({ roles, title, children }: { roles: readonly Role[]; title: string; children: ReactNode }) {
  const allowed = useCan(roles);
  if (allowed) return <>{children}</>;
  return (
    <>
      <PageHeader title={title} />
      <Alert color="gray" title="Not available to your role">
        Only {roles.map((role) => role.toLowerCase().replace('_', ' ')).join(' and ')} members can see this page.
      </Alert>
    </>
  );
}

/** A wide table that scrolls sideways on a phone, reachable by keyboard, named after its table. */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // tabIndex: a scrollable region must take focus to be scrolled by keyboard. Relative: what is positioned inside
    // (visually hidden labels) scrolls with it instead of widening the page.
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto', maxWidth: '100%', position: 'relative' }}>
      {children}
    </div>
  );
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 });
const usdCents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat('en-US');

/** Millionths of a US dollar as dollars: $0.00, $0.000123, $1.50. */
export function formatMicroUsd(micro: number): string {
  return usd.format(micro / 1_000_000);
}

/** Cents as dollars: $25.00. */
export function formatCents(cents: number): string {
  return usdCents.format(cents / 100);
}

export function formatCount(value: number): string {
  return integer.format(value);
}

/** A date-time in the person's locale (date and time), or a dash. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString();
}

/** A time of day with seconds, in the person's locale. */
export function formatTime(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  const date = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleTimeString();
}

