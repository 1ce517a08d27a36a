import { Injectable } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { ConfigProvider } from '../config/config.provider';
import type { BehaviourStatusDto } from './behaviour.dto';
import { BehaviourFindings } from './behaviour-findings.service';

/** Answers GET …/behaviour from the evaluation the periodic job last ran. */
@Injectable()
export class BehaviourStatusService {
  constructor(
    private readonly directory: ClusterDirectory,
    private readonly findings: BehaviourFindings,
    private readonly configProvider: ConfigProvider,
  ) {}

  async get(clusterIdOrName: string): Promise<BehaviourStatusDto> {
    const found = await this.directory.get(clusterIdOrName);
    const last = this.findings.status(found.id);
    return (
      last ?? {
        cluster: { id: found.id, name: found.name },
        telemetry: null,
        evaluatedAt: null,
        intervalSeconds: this.configProvider.config.behaviour.intervalSeconds,
        findings: 0,
        codes: [],
      }
    );
  }
}
