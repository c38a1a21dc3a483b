import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { Kind, parse } from 'graphql';

/** One operation of an Apollo persisted-query manifest. */
export interface ManifestOperation {
  /** sha256 (hex) of `body`: the id clients send as `extensions.persistedQuery.sha256Hash`. */
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

/** The operations of a manifest by id. */
export type Safelist = ReadonlyMap<string, ManifestOperation>;

export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

export class ManifestError extends Error {
  constructor(path: string, reason: string) {
    super(`persisted query manifest ${path}: ${reason}`);
    this.name = 'ManifestError';
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const TYPES = new Set(['query', 'mutation', 'subscription']);

/**
 * Checks a manifest (`{ format: "apollo-persisted-query-manifest", version: 1, operations: [{ id, name, type, body }] }`)
 * and returns its operations by id. Every id must be the sha256 of its body, and every body must parse and hold the
 * operation it names: a manifest that does not is refused whole, with the first problem in the message.
 */
export function parseManifest(path: string, text: string): Safelist {
  const fail = (reason: string): never => {
    throw new ManifestError(path, reason);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('expected a JSON object');
  const manifest = json as Record<string, unknown>;
  if (manifest.format !== MANIFEST_FORMAT) return fail(`expected "format": "${MANIFEST_FORMAT}" (got ${JSON.stringify(manifest.format)})`);
  if (manifest.version !== 1) return fail(`expected "version": 1 (got ${JSON.stringify(manifest.version)})`);
  if (!Array.isArray(manifest.operations)) return fail('expected "operations" to be an array');
  const operations = new Map<string, ManifestOperation>();
  manifest.operations.forEach((entry: unknown, index) => {
    const at = `operations[${index}]`;
    if (typeof entry !== 'object' || entry === null) return fail(`${at}: expected an object`);
    const { id, name, type, body } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || !/^[0-9a-f]{64}$/.test(id)) return fail(`${at}: "id" must be a sha256 in lowercase hex`);
    if (typeof name !== 'string' || !name) return fail(`${at}: "name" must be a non-empty string`);
    if (typeof type !== 'string' || !TYPES.has(type)) return fail(`${at} (${name}): "type" must be query, mutation or subscription`);
    if (typeof body !== 'string' || !body.trim()) return fail(`${at} (${name}): "body" must be a non-empty string`);
    if (sha256Hex(body) !== id) return fail(`${at} (${name}): "id" is not the sha256 of "body"`);
    let definitions;
    try {
      definitions = parse(body, { noLocation: true }).definitions;
    } catch (error) {
      return fail(`${at} (${name}): "body" is not a GraphQL document (${(error as Error).message})`);
    }
    const named = definitions.some(
      (d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name && String(d.operation) === type,
    );
    if (!named) return fail(`${at} (${name}): "body" holds no ${type} named ${name}`);
    if (operations.has(id)) return fail(`${at} (${name}): id ${id} is listed twice`);
    operations.set(id, { id, name, type: type as ManifestOperation['type'], body });
  });
  return operations;
}

interface ManifestLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * The manifest the gateway enforces, reloaded when the file changes: its modification time (and size and inode, so
 * an atomic rename counts) is checked every `pollSeconds`. A manifest that fails to load on reload leaves the
 * previous one in force and is logged; at start it is an error (`load` rejects), except that a missing file at the
 * default path (`required: false`) means an empty list until the file appears.
 */
export class ManifestStore {
  private operations: Safelist = new Map();
  private stamp: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    readonly path: string,
    private readonly options: { required: boolean; pollSeconds: number; logger: ManifestLogger },
  ) {}

  get(id: string): ManifestOperation | undefined {
    return this.operations.get(id);
  }

  get size(): number {
    return this.operations.size;
  }

  /** Loads the manifest once; rejects with a ManifestError naming the file and the problem. */
  async load(): Promise<void> {
    let stamp: string;
    try {
      stamp = await this.stampOf();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !this.options.required) {
        this.options.logger.warn({ manifest: this.path }, 'persisted query manifest not found: no operation is safelisted until it appears');
        this.stamp = 'missing';
        return;
      }
      throw new ManifestError(this.path, `cannot be read (${(error as Error).message})`);
    }
    await this.read(stamp);
  }

  /** Starts checking the file for changes (the timer never keeps the process alive). */
  watch(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.check(), this.options.pollSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reloads the manifest if the file changed; a bad or vanished file keeps the operations in force. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      let stamp: string;
      try {
        stamp = await this.stampOf();
      } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        if (this.stamp !== 'missing') {
          this.options.logger.error(
            { manifest: this.path, err: error },
            `persisted query manifest ${missing ? 'disappeared' : 'cannot be read'}; the ${this.size} operations loaded before stay in force`,
          );
        }
        this.stamp = 'missing';
        return;
      }
      if (stamp === this.stamp) return;
      try {
        await this.read(stamp);
      } catch (error) {
        this.stamp = stamp; // logged once per version of the file; the next change is read again
        this.options.logger.error(
          { manifest: this.path, reason: (error as Error).message },
          `persisted query manifest not reloaded; the ${this.size} operations loaded before stay in force`,
        );
      }
    } finally {
      this.checking = false;
    }
  }

  private async stampOf(): Promise<string> {
    const { mtimeMs, size, ino } = await stat(this.path);
    return `${mtimeMs}:${size}:${ino}`;
  }

  private async read(stamp: string): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      throw new ManifestError(this.path, `cannot be read (${(error as Error).message})`);
    }
    const operations = parseManifest(this.path, text);
    const reloaded = this.stamp !== undefined;
    this.operations = operations;
    this.stamp = stamp;
    this.options.logger.info({ manifest: this.path, operations: operations.size }, reloaded ? 'persisted query manifest reloaded' : 'persisted query manifest loaded');
  }
}
