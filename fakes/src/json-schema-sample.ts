/**
 * A small generator of sample values from a JSON Schema, for the fake model APIs: the fake answers a structured-output
 * request with a value that conforms to the schema it was sent, as a real model asked for that schema would.
 *
 * It covers what the agents' schemas use (zod's `toJSONSchema` output and hand-written draft 2020-12 subsets):
 * `type` (one or a list: a non-null type is preferred), `const`, `enum`, `anyOf`/`oneOf` (one branch), `allOf`
 * (object branches merged), `$ref` to the root's `$defs`/`definitions`, objects (every property, required or not),
 * arrays (`items`, `prefixItems`, `minItems`/`maxItems`, `uniqueItems`), strings (`minLength`/`maxLength` and the
 * formats date-time, date, time, email, uri/url, uuid, hostname, ipv4, ipv6), numbers and integers (`minimum`,
 * `maximum`, the exclusive bounds, `multipleOf`), booleans and null. `pattern` is not generated from in general: a
 * string with a pattern gets the pattern's format sample when it has a format, else a few shapes are tried (plain
 * words, one word, a #tag, an @handle, digits) and the first that matches is taken.
 *
 * The same schema and seed give the same value.
 */

type Schema = Record<string, unknown>;

const WORDS = [
  'brand', 'launch', 'audience', 'campaign', 'growth', 'story', 'signal', 'channel', 'moment', 'insight',
  'message', 'reach', 'spring', 'offer', 'trust', 'value', 'clear', 'bold', 'local', 'weekly',
];
const MAX_DEPTH = 12;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** mulberry32: a tiny seeded generator, enough for varied but reproducible samples. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Context {
  root: Schema;
  next: () => number;
}

/** A value that conforms to `schema` (draft 2020-12 subset, see above); `seed` varies the words and numbers. */
export function sampleFromSchema(schema: Record<string, unknown>, seed = 1): unknown {
  return sample(schema, { root: schema, next: random(seed) }, 0);
}

function sample(schema: unknown, context: Context, depth: number): unknown {
  if (schema === true || schema === undefined) return 'sample';
  if (!isSchema(schema)) return null;
  if (depth > MAX_DEPTH) return null;
  if (typeof schema.$ref === 'string') return sample(resolve(schema.$ref, context.root), context, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return pick(schema.enum, context);
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return sample(mergeAll(schema, schema.allOf, context.root), context, depth + 1);
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (branches && branches.length > 0) {
    const nonNull = branches.filter((b) => !(isSchema(b) && b.type === 'null'));
    return sample({ ...withoutKeys(schema, ['anyOf', 'oneOf']), ...(asSchema(nonNull[0] ?? branches[0])) }, context, depth + 1);
  }
  switch (typeOf(schema)) {
    case 'object':
      return sampleObject(schema, context, depth);
    case 'array':
      return sampleArray(schema, context, depth);
    case 'integer':
      return sampleNumber(schema, context, true);
    case 'number':
      return sampleNumber(schema, context, false);
    case 'boolean':
      return context.next() < 0.5;
    case 'null':
      return null;
    default:
      return sampleString(schema, context);
  }
}

function typeOf(schema: Schema): string {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type.find((t) => t !== 'null') as string | undefined) ?? 'null';
  if (isSchema(schema.properties)) return 'object';
  if (schema.items !== undefined || Array.isArray(schema.prefixItems)) return 'array';
  if (typeof schema.minimum === 'number' || typeof schema.maximum === 'number') return 'number';
  return 'string';
}

function resolve(ref: string, root: Schema): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return {};
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    const key = decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'));
    node = isSchema(node) ? node[key] : undefined;
  }
  return node ?? {};
}

const asSchema = (value: unknown): Schema => (isSchema(value) ? value : {});
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
const withoutKeys = (schema: Schema, keys: string[]): Schema => Object.fromEntries(Object.entries(schema).filter(([k]) => !keys.includes(k)));

/** allOf: the branches' properties and required lists merged into one object schema (other keywords: the last wins). */
function mergeAll(schema: Schema, parts: unknown[], root: Schema): Schema {
  const merged: Schema = { ...withoutKeys(schema, ['allOf']) };
  for (const raw of parts) {
    const part = isSchema(raw) && typeof raw.$ref === 'string' ? asSchema(resolve(raw.$ref, root)) : asSchema(raw);
    const properties = { ...asSchema(merged.properties), ...asSchema(part.properties) };
    const required: unknown[] = [...listOf(merged.required), ...listOf(part.required)];
    Object.assign(merged, part, { properties, required });
  }
  return merged;
}

function pick<T>(values: readonly T[], context: Context): T {
  return values[Math.floor(context.next() * values.length) % values.length] as T;
}

function sampleObject(schema: Schema, context: Context, depth: number): Record<string, unknown> {
  const properties = asSchema(schema.properties);
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties)) out[key] = sample(property, context, depth + 1);
  // Required names without a property schema still get a value.
  for (const key of Array.isArray(schema.required) ? schema.required : []) {
    if (typeof key === 'string' && !(key in out)) out[key] = 'sample';
  }
  return out;
}

function sampleArray(schema: Schema, context: Context, depth: number): unknown[] {
  const prefix = listOf(schema.prefixItems);
  const min = typeof schema.minItems === 'number' ? Math.max(0, Math.ceil(schema.minItems)) : 0;
  const max = typeof schema.maxItems === 'number' ? Math.max(0, Math.floor(schema.maxItems)) : Number.POSITIVE_INFINITY;
  const length = Math.min(max, Math.max(min, prefix.length, 2));
  const items = schema.items === false ? undefined : schema.items;
  const enumValues = isSchema(items) && Array.isArray(items.enum) ? items.enum : undefined;
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < length; i += 1) {
    const itemSchema: unknown = i < prefix.length ? prefix[i] : items;
    if (itemSchema === undefined && i >= prefix.length) break;
    let value: unknown;
    if (schema.uniqueItems === true && enumValues && i >= prefix.length) {
      // Distinct enum values, in order, while there are any left.
      value = enumValues.find((v) => !seen.has(JSON.stringify(v)));
      if (value === undefined) break;
    } else {
      value = sample(itemSchema, context, depth + 1);
      for (let tries = 0; schema.uniqueItems === true && seen.has(JSON.stringify(value)) && tries < 8; tries += 1) {
        value = sample(itemSchema, context, depth + 1);
      }
    }
    seen.add(JSON.stringify(value));
    out.push(value);
  }
  return out;
}

function sampleNumber(schema: Schema, context: Context, integer: boolean): number {
  const num = (key: string) => {
    const value = schema[key];
    return typeof value === 'number' ? value : undefined;
  };
  const step = num('multipleOf') ?? (integer ? 1 : undefined);
  let low = num('minimum') ?? Number.NEGATIVE_INFINITY;
  let high = num('maximum') ?? Number.POSITIVE_INFINITY;
  const exclusiveLow = num('exclusiveMinimum');
  const exclusiveHigh = num('exclusiveMaximum');
  const nudge = step ?? 0.001;
  if (exclusiveLow !== undefined) low = Math.max(low, exclusiveLow + nudge);
  if (exclusiveHigh !== undefined) high = Math.min(high, exclusiveHigh - nudge);
  if (!Number.isFinite(low) && !Number.isFinite(high)) {
    low = 1;
    high = 100;
  } else if (!Number.isFinite(low)) low = high - 100;
  else if (!Number.isFinite(high)) high = low + 100;
  let value = low + context.next() * (high - low);
  if (step !== undefined) {
    const first = Math.ceil(low / step) * step;
    const count = Math.max(0, Math.floor((high - first) / step));
    value = first + Math.floor(context.next() * (count + 1)) * step;
    if (value > high) value = first;
    value = Number(value.toFixed(10));
  } else {
    value = Math.round(value * 100) / 100;
    if (value < low || value > high) value = low;
  }
  return integer ? Math.round(value) : value;
}

function words(context: Context, count: number): string {
  return Array.from({ length: count }, () => pick(WORDS, context)).join(' ');
}

function hex(context: Context, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += Math.floor(context.next() * 16).toString(16);
  return out;
}

function formatted(format: string, context: Context): string | undefined {
  const day = 1 + Math.floor(context.next() * 28);
  const date = `2025-0${1 + Math.floor(context.next() * 9)}-${String(day).padStart(2, '0')}`;
  const time = `${String(8 + Math.floor(context.next() * 10)).padStart(2, '0')}:${String(Math.floor(context.next() * 60)).padStart(2, '0')}:00`;
  switch (format) {
    case 'date-time':
      return `${date}T${time}Z`;
    case 'date':
      return date;
    case 'time':
      return `${time}Z`;
    case 'email':
      return `${pick(WORDS, context)}@example.com`;
    case 'uri':
    case 'url':
    case 'iri':
    case 'uri-reference':
      return `https://example.com/${pick(WORDS, context)}`;
    case 'uuid':
      return `${hex(context, 8)}-${hex(context, 4)}-4${hex(context, 3)}-${pick(['8', '9', 'a', 'b'], context)}${hex(context, 3)}-${hex(context, 12)}`;
    case 'hostname':
      return `${pick(WORDS, context)}.example.com`;
    case 'ipv4':
      return `192.0.2.${1 + Math.floor(context.next() * 254)}`;
    case 'ipv6':
      return `2001:db8::${hex(context, 4)}`;
    case 'duration':
      return 'PT15M';
    default:
      return undefined;
  }
}

function sampleString(schema: Schema, context: Context): string {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  const format = typeof schema.format === 'string' ? formatted(schema.format, context) : undefined;
  if (format !== undefined) return format;
  let text = words(context, 3);
  while (text.length < min) text += ` ${words(context, 2)}`;
  if (text.length > max) text = text.slice(0, max).trimEnd();
  // Trimming may undercut minLength when min and max are close: pad with letters.
  while (text.length < min) text += 'x';
  if (typeof schema.pattern === 'string') return matchingShape(schema.pattern, text, min, max) ?? text;
  return text;
}

/** The first of a few common shapes that matches `pattern` within the length bounds. */
function matchingShape(pattern: string, text: string, min: number, max: number): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
  const word = text.replace(/[^A-Za-z]/g, '').toLowerCase() || 'sample';
  const fits = (candidate: string) => candidate.length >= min && candidate.length <= max && regex.test(candidate);
  return [text, word, `#${word}`, `@${word}`, '12345'].find(fits);
}
