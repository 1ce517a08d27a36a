import { Injectable } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { ConfigProvider } from '../config/config.provider';
import { DiagnosticsService } from '../diagnostics/diagnostics.service';
import { ClusterSnapshots } from '../monitor/cluster-snapshot';
import { ChangesService } from './changes.service';
import type { SuspectsDto } from './changes.dto';
import { relatedObjects } from './relations';
import { ServiceNeighbours } from './service-neighbours';
import { AFTER_SLACK_MS, rankSuspects } from './suspects';

/**
 * The suspects of a finding: the stored changes of the objects related to it (read from the live
 * snapshot, plus the service graph's neighbours) in the window before it began, ranked.
 */
@Injectable()
export class SuspectsService {
  constructor(
    private readonly diagnostics: DiagnosticsService,
    private readonly changes: ChangesService,
    private readonly snapshots: ClusterSnapshots,
    private readonly directory: ClusterDirectory,
    private readonly neighbours: ServiceNeighbours,
    private readonly configProvider: ConfigProvider,
  ) {}

  async of(clusterIdOrName: string, findingId: string, limit = 10): Promise<SuspectsDto> {
    const cluster = await this.directory.get(clusterIdOrName);
    const finding = await this.diagnostics.finding(cluster.id, findingId);
    const snapshot = await this.snapshots.settled(cluster.id);
    const related = [
      ...relatedObjects(snapshot, finding.object),
      ...(await this.neighbours.of(cluster.id, finding.object)),
    ];
    const begin = Date.parse(finding.firstSeen);
    const since = new Date(
      begin - this.configProvider.config.changes.suspectWindowMinutes * 60_000,
    );
    const changes = await this.changes.between(cluster.id, since, new Date(begin + AFTER_SLACK_MS));
    return {
      clusterId: cluster.id,
      findingId: finding.id,
      code: finding.code,
      firstSeen: finding.firstSeen,
      since: since.toISOString(),
      items: rankSuspects(finding, related, changes, limit),
    };
  }
}
