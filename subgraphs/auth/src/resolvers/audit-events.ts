import { fields, ownedPage, validate, viewer } from '@umt/infra';
import type { Context } from '../context';
import type { AuditEventRow, DB } from '../db/schema';
import type { AuditEventResolvers, QueryResolvers } from '../generated/graphql';

export const auditQueries: Pick<QueryResolvers<Context>, 'auditEvents'> = {
  auditEvents: (_parent, args, ctx) =>
    ownedPage<AuditEventRow, DB>(
      ctx,
      {
        table: 'auditEvents',
        sortKey: 'createdAt',
        direction: 'desc',
        orgId: viewer(ctx).orgId,
        where: args.action ? { action: validate(fields.name(60), args.action) } : {},
      },
      args,
    ),
};

export const AuditEvent: AuditEventResolvers<Context> = {
  details: (event) => JSON.stringify(event.details),
};
