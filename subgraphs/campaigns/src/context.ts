import type { SubgraphContext } from '@umt/infra';
import type { DB } from './db/schema';

export type Context = SubgraphContext<DB>;
