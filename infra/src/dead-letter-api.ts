import { ADMINS, can, viewer, type AccessPolicies } from './access';
import { notFound } from './errors';
import type { DeadLetter, DeadLetters } from './events';
import { validate, fields } from './validation';
import type { Principal } from './identity';
import type { PageArgs } from './pagination';

/**
 * The GraphQL side of a consuming subgraph's dead letters: `<prefix>DeadLetters`, `replay<Prefix>DeadLetter` and
 * `replay<Prefix>DeadLetters`, for OWNER and ADMIN, always limited to the caller's organization's events.
 * The types (DeadLetter, DeadLetterConnection, DeadLetterReplay, DeadLetterReplaySummary, DeadLetterStatus) are in
 * dead-letters.graphql, which a consuming subgraph's schema.graphql includes (`# include dead-letters`) beside its
 * three root fields.
 */
export function deadLetterApi(prefix: string, deadLetters: () => DeadLetters<unknown>) {
  const Prefix = prefix.charAt(0).toUpperCase() + prefix.slice(1);
  const names = { list: `${prefix}DeadLetters`, replayOne: `replay${Prefix}DeadLetter`, replayAll: `replay${Prefix}DeadLetters` };
  type Ctx = { principal: Principal };
  const status = { PENDING: 'pending', REPLAYED: 'replayed', ALL: 'all' } as const;

  const policies: AccessPolicies = {
    [`Query.${names.list}`]: can.write(ADMINS),
    [`Mutation.${names.replayOne}`]: can.write(ADMINS),
    [`Mutation.${names.replayAll}`]: can.write(ADMINS),
  };
  const resolvers = {
    Query: {
      [names.list]: (_: unknown, args: PageArgs & { status?: keyof typeof status | null }, ctx: Ctx) =>
        deadLetters().list({ ...args, status: status[args.status ?? 'PENDING'], orgId: viewer(ctx).orgId }),
    },
    Mutation: {
      [names.replayOne]: async (_: unknown, args: { id: string }, ctx: Ctx) => {
        const result = await deadLetters().replay(validate(fields.id(), args.id), viewer(ctx).orgId);
        if (result.outcome === 'not_found') throw notFound('Dead letter');
        return { id: result.id, outcome: result.outcome.toUpperCase(), error: firstLine(result.error) };
      },
      [names.replayAll]: async (_: unknown, _args: unknown, ctx: Ctx) => {
        const { applied, alreadyProcessed, failed } = await deadLetters().replayAll({ orgId: viewer(ctx).orgId });
        return { applied, alreadyProcessed, failed };
      },
    },
    DeadLetter: {
      // The stored error keeps the stack for operators' logs; callers get its first line.
      error: (letter: DeadLetter) => firstLine(letter.error),
      reason: (letter: DeadLetter) => letter.reason.toUpperCase(),
      // The envelope as JSON; for a message that was no envelope (listed only to operators, as it has no organization,
      // unless that changes), the body as received.
      envelope: (letter: DeadLetter) => (letter.envelope ? JSON.stringify(letter.envelope) : letter.body),
    },
  };
  return { policies, resolvers };
}

function firstLine(text: string | undefined): string | null {
  return text === undefined ? null : (text.split('\n')[0] ?? '');
}

/** The stored dead letter, under a name that does not clash with the GraphQL type in generated code. */
export type StoredDeadLetter = DeadLetter;
