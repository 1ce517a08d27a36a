import type { ObjectRef } from '../../cluster-state/finding';
import { Check, MeshFinding } from './check';
import { drDuplicateSubset, drHostNotFound, drSubsetNoPods } from './destination-rule-checks';
import {
  gatewayApiDuplicate,
  httpRouteBackendNotFound,
  httpRouteParentNotFound,
  listenerDuplicate,
} from './gateway-api-checks';
import {
  gatewayDuplicateHostPort,
  gatewayPortName,
  gatewaySecretMissing,
  gatewaySelectorNoPods,
} from './gateway-checks';
import { MeshSnapshot, SkippedCheck, SnapshotPart } from './snapshot';
import {
  vsDestinationHostNotFound,
  vsDuplicateHost,
  vsGatewayNotFound,
  vsHostNotInGateway,
  vsSubsetNotFound,
  vsWeightsNot100,
} from './virtual-service-checks';

/** Every check, in the order findings are reported. */
export const CHECKS: readonly Check[] = [
  gatewaySelectorNoPods,
  gatewayDuplicateHostPort,
  gatewaySecretMissing,
  gatewayPortName,
  vsGatewayNotFound,
  vsHostNotInGateway,
  vsDestinationHostNotFound,
  vsSubsetNotFound,
  vsWeightsNot100,
  vsDuplicateHost,
  drHostNotFound,
  drSubsetNoPods,
  drDuplicateSubset,
  httpRouteParentNotFound,
  httpRouteBackendNotFound,
  listenerDuplicate,
  gatewayApiDuplicate,
];

export interface ValidationReport {
  findings: MeshFinding[];
  skipped: SkippedCheck[];
}

/** Why a part of the snapshot is missing, e.g. "secrets: forbidden for this cluster's credential". */
export type Unavailable = Partial<Record<SnapshotPart, string>>;

/**
 * Runs every check whose inputs are present; the others are listed as skipped with the reason,
 * so a missing permission never turns into a false "not found".
 */
export function runValidations(
  snapshot: MeshSnapshot,
  unavailable: Unavailable = {},
  scope: (ref: ObjectRef) => boolean = () => true,
): ValidationReport {
  const findings: MeshFinding[] = [];
  const skipped: SkippedCheck[] = [];
  for (const check of CHECKS) {
    const missing = check.needs.filter((part) => snapshot[part] === null);
    if (missing.length) {
      skipped.push({
        code: check.code,
        reason: missing
          .map((part) => `${part}: ${unavailable[part] ?? 'not available'}`)
          .join('; '),
      });
      continue;
    }
    findings.push(
      ...check.run(snapshot as Parameters<Check['run']>[0]).filter((f) => scope(f.object)),
    );
  }
  return { findings, skipped };
}
