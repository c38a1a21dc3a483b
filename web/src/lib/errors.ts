import { CombinedGraphQLErrors } from '@apollo/client';
import type { UseFormReturnType } from '@mantine/form';

/** What a failed operation means for a form: messages for the fields the server named, and one for the rest. */
export interface FormErrors {
  /** By input field, as the server names it in extensions.field (e.g. `name`, `input.channel`). */
  fields: Record<string, string>;
  /** The error that names no field (or null). */
  general: string | null;
  /** The first error's code (BAD_USER_INPUT, FORBIDDEN, BUDGET_EXCEEDED, …). */
  code: string | null;
}

const FRIENDLY: Record<string, string> = {
  FORBIDDEN: 'Your role does not allow this.',
  UNAUTHENTICATED: 'Your session has ended: log in again.',
  SERVICE_UNAVAILABLE: 'A service is unavailable right now. Try again in a moment.',
  DEPENDENCY_UNAVAILABLE: 'An outside service is failing right now (its circuit is open). Try again later.',
  RATE_LIMITED: 'Too many requests: wait a moment and try again.',
};

/** The server's coded errors, ready to show next to the fields they name. */
export function formErrors(error: unknown): FormErrors {
  if (CombinedGraphQLErrors.is(error)) {
    const fields: Record<string, string> = {};
    let general: string | null = null;
    for (const item of error.errors) {
      const field = item.extensions?.field;
      const code = typeof item.extensions?.code === 'string' ? item.extensions.code : '';
      if (typeof field === 'string' && !(field in fields)) fields[field.replace(/^input\./, '')] = item.message;
      else general ??= FRIENDLY[code] ?? item.message;
    }
    const code = error.errors[0]?.extensions?.code;
    return { fields, general, code: typeof code === 'string' ? code : null };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { fields: {}, general: /fetch|network/i.test(message) ? 'The server could not be reached. Check your connection and try again.' : message, code: null };
}

/** One line for an error shown outside a form. */
export function errorMessage(error: unknown): string {
  const errors = formErrors(error);
  return errors.general ?? Object.values(errors.fields)[0] ?? 'Something went wrong.';
}

/**
 * Shows a failed mutation in a form: the server's messages next to the fields it names (extensions.field), and the
 * rest (including fields the form does not show, e.g. `brandId` on a brand's own page) as the form's general message.
 */
export function showServerErrors<V extends Record<string, unknown>>(form: UseFormReturnType<V>, error: unknown): string | null {
  const errors = formErrors(error);
  const shown: Record<string, string> = {};
  const hidden: string[] = [];
  for (const [field, message] of Object.entries(errors.fields)) {
    if (field in form.getValues()) shown[field] = message;
    else hidden.push(message);
  }
  form.setErrors(shown);
  return errors.general ?? hidden[0] ?? null;
}
