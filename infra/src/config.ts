import { z } from 'zod';

/** Thrown when the environment does not describe a runnable service; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;
type Shape = Record<string, z.ZodType>;

/**
 * Validates `env` against `shape` (keys are variable names). Empty strings count as unset so that
 * `FOO=` in a compose file falls back to the default rather than failing obscurely.
 */
export function parseEnv<S extends Shape>(shape: S, env: Env = process.env): { [K in keyof S]: z.output<S[K]> } {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    input[key] = value === undefined || value.trim() === '' ? undefined : value;
  }
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '(environment)');
        const got = input[name];
        return `${name}: ${issue.message}${got === undefined ? ' (not set)' : ` (got ${JSON.stringify(redactIfSecret(name, got))})`}`;
      }),
    );
  }
  return result.data as { [K in keyof S]: z.output<S[K]> };
}

function redactIfSecret(name: string, value: string): string {
  return /SECRET|PASSWORD|KEY|TOKEN/.test(name) ? '<redacted>' : value;
}

/** Runs a configuration reader; on ConfigError prints the problems and ends the process (used at start). */
export function exitOnConfigError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its meaning.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

const DEV_SECRET = 'umt-development-secret-do-not-use-in-production';

/** Reusable variable definitions, so every service reads a variable the same way. */
export const env = {
  port: (fallback: number) =>
    z.coerce
      .number({ message: 'expected a TCP port number' })
      .int('expected a whole TCP port number')
      .min(0, 'expected a port between 0 and 65535')
      .max(65535, 'expected a port between 0 and 65535')
      .default(fallback),
  host: () => z.string().default('127.0.0.1'),
  nodeEnv: () => z.enum(['development', 'test', 'production']).default('development'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  url: (protocols: string[]) =>
    z
      .string()
      .refine((v) => {
        try {
          return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      }, `expected a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`)
      .optional(),
  /** A signing secret: required and at least 32 characters in production, a fixed default elsewhere. */
  secret: () => z.string().min(32, 'expected a secret of at least 32 characters').optional(),
  /** Comma-separated older secrets still accepted during a rotation. */
  secretList: () =>
    z
      .string()
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .refine((list) => list.every((s) => s.length >= 32), 'expected comma-separated secrets of at least 32 characters each')
      .default([]),
  durationSeconds: (fallback: number) =>
    z.coerce.number({ message: 'expected a number of seconds' }).int().positive('expected a positive number of seconds').default(fallback),
};

/** Resolves a secret variable: production refuses the development default. */
export function requireSecret(name: string, value: string | undefined, nodeEnv: string): string {
  if (value) return value;
  if (nodeEnv === 'production') throw new ConfigError([`${name}: required in production (not set)`]);
  return `${DEV_SECRET}:${name}`;
}
