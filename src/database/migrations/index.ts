import { InitialSchema1764100000000 } from './1764100000000-initial-schema';
import { ClusterRegistry1764200000000 } from './1764200000000-cluster-registry';
import { Llm1764300000000 } from './1764300000000-llm';
import { History1764400000000 } from './1764400000000-history';
import { Integrations1764900000000 } from './1764900000000-integrations';

/** In order of application. A migration, once released, is never edited: add a new one. */
export const MIGRATIONS = [
  InitialSchema1764100000000,
  ClusterRegistry1764200000000,
  Llm1764300000000,
  History1764400000000,
  Integrations1764900000000,
];
