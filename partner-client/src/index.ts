/**
 * The partner operations as typed documents (generated from schema/operations by `npm run codegen`), and where their
 * persisted-query manifest lives. A partner sends an operation by its manifest id; see docs/partners.md.
 */
import { join } from 'node:path';

export * from './generated/operations';

/** The Apollo persisted-query manifest of these operations (schema/operations/persisted-query-manifest.json). */
export const MANIFEST_PATH = join(__dirname, '..', '..', 'schema', 'operations', 'persisted-query-manifest.json');
