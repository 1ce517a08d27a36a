import { InitialSchema1764100000000 } from './1764100000000-initial-schema';
import { ClusterRegistry1764200000000 } from './1764200000000-cluster-registry';
import { Llm1764300000000 } from './1764300000000-llm';
import { History1764400000000 } from './1764400000000-history';
import { Telemetry1764500000000 } from './1764500000000-telemetry';
import { DiagnosticsSilences1764600000000 } from './1764600000000-diagnostics-silences';
import { Changes1764700000000 } from './1764700000000-changes';
import { AccessGrants1764800000000 } from './1764800000000-access-grants';
import { Integrations1764900000000 } from './1764900000000-integrations';
import { ReplicaMembers1765100000000 } from './1765100000000-replica-members';

/**
 * In order of application. A released migration never changes its effect (the schema test in
 * test/e2e/migrations-schema.e2e-spec.ts pins it): a schema change is a new migration.
 */
export const MIGRATIONS = [
  InitialSchema1764100000000,
  ClusterRegistry1764200000000,
  Llm1764300000000,
  History1764400000000,
  Telemetry1764500000000,
  DiagnosticsSilences1764600000000,
  Changes1764700000000,
  AccessGrants1764800000000,
  Integrations1764900000000,
  ReplicaMembers1765100000000,
];
