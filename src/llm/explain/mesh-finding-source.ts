import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { MeshValidationService } from '../../istio-gateway/mesh-validation.service';
import { ExplainableFinding, FindingSource } from './finding-source';

/** `CODE:namespace:Kind:name`, e.g. ISTIO_DR_SUBSET_NO_PODS:shop:DestinationRule:web. */
export function meshFindingId(f: {
  code: string;
  object: { namespace: string; kind: string; name: string };
}) {
  return `${f.code}:${f.object.namespace}:${f.object.kind}:${f.object.name}`;
}

/** Istio validation findings, addressed by code and object, versioned by their content. */
@Injectable()
export class MeshFindingSource extends FindingSource {
  constructor(private readonly mesh: MeshValidationService) {
    super();
  }

  async find(clusterId: string, findingId: string): Promise<ExplainableFinding | null> {
    const report = await this.mesh.validate(clusterId);
    const match = report.findings.find((f) => meshFindingId(f) === findingId);
    if (!match) return null;
    return {
      id: findingId,
      version: createHash('sha256').update(JSON.stringify(match)).digest('hex').slice(0, 16),
      finding: { ...match },
      object: {
        kind: match.object.kind,
        namespace: match.object.namespace,
        name: match.object.name,
      },
    };
  }
}
