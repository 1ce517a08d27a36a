/** A finding as the explainer needs it: a stable id, a version that changes with its content. */
export interface ExplainableFinding {
  id: string;
  version: string;
  /** The finding as the diagnostics answer shows it (plain JSON). */
  finding: Record<string, unknown>;
  object: { kind: string; namespace: string | null; name: string } | null;
}

/**
 * Where findings come from. Today: Istio validations (MeshFindingSource). The diagnostics module
 * (issue #13) provides its own implementation over DiagnosticsService and replaces this binding
 * in LlmModule; nothing else changes.
 */
export abstract class FindingSource {
  abstract find(clusterId: string, findingId: string): Promise<ExplainableFinding | null>;
}
