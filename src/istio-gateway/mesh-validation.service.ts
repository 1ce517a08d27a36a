import { Injectable } from '@nestjs/common';
import { KubeClient } from '../kubernetes/kube-client';
import { ValidationReportDto } from './istio-object.dto';
import { MeshApiService } from './mesh-api.service';
import { ISTIO_KINDS } from './mesh-kinds';
import { MeshSnapshotService } from './mesh-snapshot.service';
import { runValidations, ValidationReport } from './validations/run-validations';

/** Runs the pure validations over a snapshot read on request. */
@Injectable()
export class MeshValidationService {
  constructor(
    private readonly api: MeshApiService,
    private readonly snapshots: MeshSnapshotService,
  ) {}

  /** Every finding about objects in `namespace` (all namespaces when absent); the checks see the whole mesh. */
  async validate(clusterId: string, namespace?: string): Promise<ValidationReportDto> {
    const client = await this.api.client(clusterId);
    await this.api.requireKind(client, ISTIO_KINDS[0].descriptor); // ISTIO_NOT_INSTALLED before reading anything
    const { snapshot, unavailable } = await this.snapshots.fetch(client.clusterId);
    const report = runValidations(
      snapshot,
      unavailable,
      (ref) => !namespace || ref.namespace === namespace,
    );
    const counts = { error: 0, warning: 0, info: 0 };
    for (const f of report.findings) counts[f.severity]++;
    return { namespace: namespace ?? null, counts, ...report };
  }

  /** The findings about one object, for the inline validations of its GET. */
  async forObject(
    client: KubeClient,
    group: string,
    kind: string,
    namespace: string,
    name: string,
  ): Promise<ValidationReport> {
    const { snapshot, unavailable } = await this.snapshots.fetch(client.clusterId);
    return runValidations(
      snapshot,
      unavailable,
      (ref) =>
        ref.group === group &&
        ref.kind === kind &&
        ref.namespace === namespace &&
        ref.name === name,
    );
  }
}
