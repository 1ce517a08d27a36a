import { Injectable } from '@nestjs/common';
import { KubeClient } from '../kubernetes/kube-client';
import { MeshFindingDto, SkippedCheckDto, ValidationReportDto } from './istio-object.dto';
import { MeshApiService } from './mesh-api.service';
import { ISTIO_KINDS } from './mesh-kinds';
import { MeshSnapshotService } from './mesh-snapshot.service';
import type { MeshFinding } from './validations/check';
import { runValidations, ValidationReport } from './validations/run-validations';

/**
 * The validations emit the diagnostics finding (critical/warning/info, evidence fields); the
 * validations routes answer in their own documented shape (error/warning/info, path,
 * suggestedFix, Kiali/istioctl codes). This is the one place the first becomes the second.
 */
function findingDto(f: MeshFinding): MeshFindingDto {
  return {
    code: f.code,
    severity: f.severity === 'critical' ? 'error' : f.severity,
    object: f.object,
    path: f.fields.path,
    message: f.message,
    suggestedFix: f.suggestion,
    kialiCode: f.fields.kialiCode,
    istioctlCode: f.fields.istioctlCode,
  };
}

const reportDto = (report: ValidationReport) => ({
  findings: report.findings.map(findingDto),
  skipped: report.skipped,
});

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
    const report = reportDto(
      runValidations(snapshot, unavailable, (ref) => !namespace || ref.namespace === namespace),
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
  ): Promise<{ findings: MeshFindingDto[]; skipped: SkippedCheckDto[] }> {
    const { snapshot, unavailable } = await this.snapshots.fetch(client.clusterId);
    return reportDto(
      runValidations(
        snapshot,
        unavailable,
        (ref) =>
          ref.group === group &&
          ref.kind === kind &&
          ref.namespace === namespace &&
          ref.name === name,
      ),
    );
  }
}
