import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppError } from '../../common/app-error';
import { DiagnosticsService } from '../../diagnostics/diagnostics.service';
import { ExplainableFinding, FindingSource } from './finding-source';
import { MeshFindingSource } from './mesh-finding-source';

/** Diagnostics finding ids: 16 hex digits (src/diagnostics/evaluate.ts). */
const DIAGNOSTICS_ID = /^[0-9a-f]{16}$/;

/**
 * Findings of the diagnostics module (Kubernetes detectors and the Istio validations, one type),
 * versioned by their content without firstSeen/lastSeen. Ids in the older Istio form
 * (`CODE:namespace:Kind:name`) are still answered by the Istio validations.
 */
@Injectable()
export class DiagnosticsFindingSource extends FindingSource {
  constructor(
    private readonly diagnostics: DiagnosticsService,
    private readonly mesh: MeshFindingSource,
  ) {
    super();
  }

  async find(clusterId: string, findingId: string): Promise<ExplainableFinding | null> {
    if (!DIAGNOSTICS_ID.test(findingId)) return this.mesh.find(clusterId, findingId);
    try {
      const finding = await this.diagnostics.finding(clusterId, findingId);
      const { firstSeen: _first, lastSeen: _last, ...content } = finding;
      return {
        id: findingId,
        version: createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16),
        finding: { ...finding },
        object: {
          kind: finding.object.kind,
          namespace: finding.object.namespace || null,
          name: finding.object.name,
        },
      };
    } catch (error) {
      if (error instanceof AppError && error.code === 'FINDING_NOT_FOUND') return null;
      throw error;
    }
  }
}
