import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppError } from '../../common/app-error';
import { DiagnosticsService } from '../../diagnostics/diagnostics.service';
import { FINDING_ID } from '../../cluster-state/finding-id';
import { MeshValidationService } from '../../istio-gateway/mesh-validation.service';

/** A finding as the explainer needs it: a stable id, a version that changes with its content. */
export interface ExplainableFinding {
  id: string;
  version: string;
  /** The finding as the route that lists it shows it (plain JSON). */
  finding: Record<string, unknown>;
  object: { kind: string; namespace: string | null; name: string } | null;
}

/** A finding with its version (a hash of `content`) and the object whose events are evidence. */
function explainable(
  id: string,
  finding: { object: { kind: string; namespace: string; name: string } },
  content: unknown,
): ExplainableFinding {
  const { kind, namespace, name } = finding.object;
  return {
    id,
    version: createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16),
    finding: { ...finding },
    object: { kind, namespace: namespace || null, name },
  };
}

/** The older Istio form, e.g. ISTIO_DR_SUBSET_NO_PODS:shop:DestinationRule:web. */
const meshFindingId = (f: {
  code: string;
  object: { namespace: string; kind: string; name: string };
}) => `${f.code}:${f.object.namespace}:${f.object.kind}:${f.object.name}`;

/**
 * The findings the explainer explains: the diagnostics findings (Kubernetes detectors and the
 * Istio validations, one type), versioned by their content without firstSeen/lastSeen. Ids in the
 * older Istio form (`CODE:namespace:Kind:name`, docs/llm.md) are still answered from the
 * validations report, as the validations route shows it.
 */
@Injectable()
export class FindingSource {
  constructor(
    private readonly diagnostics: DiagnosticsService,
    private readonly mesh: MeshValidationService,
  ) {}

  find(clusterId: string, findingId: string): Promise<ExplainableFinding | null> {
    return FINDING_ID.test(findingId)
      ? this.diagnosticsFinding(clusterId, findingId)
      : this.meshFinding(clusterId, findingId);
  }

  private async diagnosticsFinding(
    clusterId: string,
    findingId: string,
  ): Promise<ExplainableFinding | null> {
    try {
      const finding = await this.diagnostics.finding(clusterId, findingId);
      const { firstSeen: _first, lastSeen: _last, ...content } = finding;
      return explainable(findingId, finding, content);
    } catch (error) {
      if (error instanceof AppError && error.code === 'FINDING_NOT_FOUND') return null;
      throw error;
    }
  }

  private async meshFinding(
    clusterId: string,
    findingId: string,
  ): Promise<ExplainableFinding | null> {
    const report = await this.mesh.validate(clusterId);
    const match = report.findings.find((f) => meshFindingId(f) === findingId);
    return match ? explainable(findingId, match, match) : null;
  }
}
