import { Kind, type DocumentNode } from 'graphql';
import { CHANNELS } from './channels';

/**
 * Enums that several subgraphs declare, each with the list the code validates against. Every subgraph's declaration
 * must list exactly these values, in this order: a value added in one place only would compose (enum values are
 * merged) and then fail at runtime in the subgraphs that lack it. Add a shared enum here with its list.
 */
export const SHARED_ENUMS: Readonly<Record<string, readonly string[]>> = {
  Channel: CHANNELS,
};

/** Throws, naming each disagreement, when a schema declares a shared enum with values other than the registry's. */
export function checkSharedEnums(service: string, typeDefs: DocumentNode): void {
  const declared = new Map<string, string[]>();
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION && definition.kind !== Kind.ENUM_TYPE_EXTENSION) continue;
    const name = definition.name.value;
    if (!(name in SHARED_ENUMS)) continue;
    declared.set(name, [...(declared.get(name) ?? []), ...(definition.values ?? []).map((value) => value.name.value)]);
  }
  const disagreements = [...declared]
    .filter(([name, values]) => values.join() !== SHARED_ENUMS[name]?.join())
    .map(([name, values]) => `enum ${name} lists ${values.join(', ')} where infra lists ${SHARED_ENUMS[name]?.join(', ')}`);
  if (disagreements.length > 0) throw new Error(`${service}: ${disagreements.join('; ')} (infra/src/shared-enums.ts)`);
}
