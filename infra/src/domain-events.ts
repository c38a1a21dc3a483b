import type { Kysely } from 'kysely';

/**
 * The catalogue of domain events (DESIGN.md §4): routing key → payload. Publishers and consumers type their
 * payloads from here, so a change of shape is a compile error on both sides.
 */
export interface DomainEvents {
  'organization.created': { organizationId: string; name: string };
  'brand.created': { brandId: string; name: string; website: string | null; industry: string | null };
  'project.created': { projectId: string; brandId: string; name: string; type: string; dueAt: string | null };
}

export type DomainEventType = keyof DomainEvents;

/** What resolvers use to publish: records the event in the transaction `trx` that makes the change. */
export interface EventRecorder<DB> {
  record<T extends DomainEventType>(trx: Kysely<DB>, type: T, orgId: string, data: DomainEvents[T]): Promise<void>;
}
