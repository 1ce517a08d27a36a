import { Injectable } from '@nestjs/common';
import { DiagnosticsService } from '../../diagnostics/diagnostics.service';
import { EventsService } from '../../k8s-resources/events.service';
import { LogsService } from '../../k8s-resources/logs.service';
import { ResourcesService } from '../../k8s-resources/resources.service';
import { MeshValidationService } from '../../istio-gateway/mesh-validation.service';
import { OverviewService } from '../../overview/overview.service';
import { ProposalService } from '../proposals/proposal.service';
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
  ) {
    this.deps = {
      overview,
      resources,
      events,
      logs,
      mesh,
      diagnostics,
      propose: (ctx, draft) => proposals.propose(ctx, draft),
    };
  }
}
