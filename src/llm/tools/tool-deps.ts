import { Injectable } from '@nestjs/common';
import { ChangesService } from '../../changes/changes.service';
import { SuspectsService } from '../../changes/suspects.service';
import { DiagnosticsService } from '../../diagnostics/diagnostics.service';
import { EventsService } from '../../k8s-resources/events.service';
import { LogsService } from '../../k8s-resources/logs.service';
import { ResourcesService } from '../../k8s-resources/resources.service';
import { MeshValidationService } from '../../istio-gateway/mesh-validation.service';
import { OverviewService } from '../../overview/overview.service';
import { ProposalService } from '../proposals/proposal.service';
import { GraphService } from '../../telemetry/graph.service';
import { MetricsQueryService } from '../../telemetry/metrics-query.service';
import { SignalsService } from '../../telemetry/signals.service';
import type { ToolDeps } from './tool-descriptor';

/** Gathers the feature services the tool table reads through, once, for every caller of tools. */
@Injectable()
export class ToolDepsSource {
  readonly deps: ToolDeps;

  constructor(
    overview: OverviewService,
    resources: ResourcesService,
    events: EventsService,
    logs: LogsService,
    mesh: MeshValidationService,
    diagnostics: DiagnosticsService,
    proposals: ProposalService,
    changes: ChangesService,
    suspects: SuspectsService,
    signals: SignalsService,
    graphs: GraphService,
    metrics: MetricsQueryService,
  ) {
    this.deps = {
      overview,
      resources,
      events,
      logs,
      mesh,
      diagnostics,
      changes,
      suspects,
      telemetry: { signals, graphs, metrics },
      propose: (ctx, draft) => proposals.propose(ctx, draft),
    };
  }
}
