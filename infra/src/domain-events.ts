import type { Kysely } from 'kysely';
import { z } from 'zod';
import { CHANNELS } from './channels';
import type { CatalogEvents, EventBackbone, EventCatalog, EventHandlers } from './events';

// Ids are UUIDs in PostgreSQL's sense, as the envelope's are.
const id = () => z.guid();

/**
 * The catalogue of domain events (DESIGN.md §4): routing key → schema of its payload. The one place a payload's
 * shape is written: publishers and consumers get their types from it (so a change of shape is a compile error on
 * both sides), the recorder checks every payload against it before writing it to the outbox, and consumers check
 * every delivery against it before the handler runs (an invalid payload is dead-lettered at once). Schemas must not
 * transform values. Adding a field is safe for older consumers (unknown keys are left out of what they read);
 * removing or renaming one is not.
 */
export const domainEventCatalog = {
  'organization.created': z.object({ organizationId: id(), name: z.string().min(1) }),
  'brand.created': z.object({ brandId: id(), name: z.string().min(1), website: z.string().nullable(), industry: z.string().nullable() }),
  'project.created': z.object({
    projectId: id(),
    brandId: id(),
    name: z.string().min(1),
    type: z.string().min(1),
    dueAt: z.iso.datetime({ offset: true }).nullable(),
  }),
  'content.created': z.object({ contentId: id(), projectId: id(), channel: z.enum(CHANNELS), title: z.string().min(1) }),
  /** A brand's account on a platform is connected (or connected again); no credential is ever in an event. */
  'connection.connected': z.object({
    connectionId: id(),
    brandId: id(),
    provider: z.string().min(1),
    category: z.enum(['SOCIAL', 'EMAIL', 'CMS', 'ADS']),
    accountId: z.string().min(1),
    accountName: z.string(),
    sandbox: z.boolean(),
  }),
  /** A connection stopped working (BROKEN): publishing and ads through it stop until it is connected again. */
  'connection.failed': z.object({
    connectionId: id(),
    brandId: id(),
    provider: z.string().min(1),
    /** Our code for the cause, e.g. PROVIDER_AUTH_EXPIRED, PROVIDER_REJECTED. */
    reason: z.string().min(1),
    message: z.string(),
  }),
  /** A task message: run generation job `jobId` (creation's work queue `creation.ai-jobs`). */
  'generation.requested': z.object({ jobId: id(), task: z.string().min(1) }),
  /** An organization's AI spending this month crossed its warning threshold (once per month). */
  'ai.budget_warning': z.object({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    spentMicroUsd: z.number().int().nonnegative(),
    limitCents: z.number().int().nonnegative(),
    warningPercent: z.number().int().min(1).max(100),
  }),
} satisfies EventCatalog;

export type DomainEventCatalog = typeof domainEventCatalog;

/** Routing key → payload, inferred from the catalogue. */
export type DomainEvents = CatalogEvents<DomainEventCatalog>;

export type DomainEventType = keyof DomainEvents;

/** A subgraph's handlers of domain events: each handler's `event.data` is typed by its schema. */
export type DomainEventHandlers<DB> = EventHandlers<DB, DomainEventCatalog>;

/** What resolvers use to publish: records the event in the transaction `trx` that makes the change. */
export interface EventRecorder<DB> {
  /** Throws (a programming error), recording nothing, when the payload does not match the type's schema. */
  record<T extends DomainEventType>(trx: Kysely<DB>, type: T, orgId: string, data: DomainEvents[T]): Promise<void>;
}

/** The recorder of a backbone built with the domain catalogue (the backbone checks each payload against it). */
export function domainEventRecorder<DB>(backbone: Pick<EventBackbone<DB>, 'record'>): EventRecorder<DB> {
  return {
    async record(trx, type, orgId, data) {
      await backbone.record(trx, type, orgId, data);
    },
  };
}
