import { z } from 'zod';
import { badInput } from './errors';

/**
 * Validates a resolver's input with a zod schema; the first problem becomes a BAD_USER_INPUT error naming the field,
 * before anything is written.
 */
export function validate<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  throw badInput(field ? `${field}: ${issue?.message}` : (issue?.message ?? 'invalid input'), field);
}

// PostgreSQL text cannot hold NUL; refusing it here turns a database error into a clear input error.
const noNul = (value: string) => !value.includes('\u0000');
const NUL_MESSAGE = 'must not contain NUL characters';

/** Field rules shared by every subgraph so that a name or an id means the same everywhere. */
export const fields = {
  id: () => z.string().uuid('expected a UUID'),
  name: (max = 200) =>
    z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`).refine(noNul, NUL_MESSAGE),
  text: (max = 5000) => z.string().trim().max(max, `must be at most ${max} characters`).refine(noNul, NUL_MESSAGE),
  email: () => z.string().trim().toLowerCase().max(254, 'must be at most 254 characters').email('expected an email address'),
  httpUrl: () =>
    z
      .string()
      .trim()
      .max(2048, 'must be at most 2048 characters')
      .url('expected an absolute URL')
      .refine((v) => /^https?:\/\//i.test(v), 'expected an http or https URL'),
  dateTime: () => z.coerce.date({ message: 'expected an ISO 8601 date-time' }),
};

/** Throws BAD_USER_INPUT unless `value` is a UUID; used for ids taken straight from arguments. */
export function requireId(value: string, field = 'id'): string {
  return validate(z.object({ [field]: fields.id() }), { [field]: value })[field] as string;
}
