import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiEndpoint, ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import {
  ClusterHealthDto,
  FindingDto,
  FindingPageDto,
  FindingQueryDto,
  FindingStreamQueryDto,
  FleetDiagnosticsDto,
} from './diagnostics.dto';
import { FINDING_STREAM_EVENTS, streamFindings } from './diagnostics-stream';
import { DiagnosticsService } from './diagnostics.service';
import { FindingPathDto } from '../common/object-path.dto';
import { ClusterIdParam, PathParams } from '../common/route-params.decorator';

// Findings come from the live cache: its first sync can fail or time out, not be refused.
const ERRORS: ErrorCode[] = ['CLUSTER_UNREACHABLE', 'CLUSTER_TIMEOUT', 'SERVICE_UNAVAILABLE'];
const Findings = ClusterEndpoint.with({ access: 'cluster', errors: ERRORS });

@ApiTags('diagnostics')
@Controller('api/v1')
export class DiagnosticsController {
  constructor(private readonly diagnostics: DiagnosticsService) {}

  @Get('diagnostics')
  @ApiEndpoint({
    access: 'fleet',
    summary:
      'Fleet diagnostics: per cluster its health score and findings by severity, or its error',
    response: FleetDiagnosticsDto,
  })
  fleet(): Promise<FleetDiagnosticsDto> {
    return this.diagnostics.fleet();
  }

  @Get('clusters/:clusterId/diagnostics')
  @Findings(
    'Current findings of a cluster (filters: namespace, severity, code, kind; silenced ones on request; paged)',
    { response: FindingPageDto },
  )
  findings(
    @ClusterIdParam() clusterId: string,
    @Query() q: FindingQueryDto,
  ): Promise<FindingPageDto> {
    return this.diagnostics.findings(clusterId, q);
  }

  @Get('clusters/:clusterId/diagnostics/stream')
  @Findings(
    'Finding changes as Server-Sent Events: `opened`, `updated`, `resolved` with the finding',
    { sse: FINDING_STREAM_EVENTS },
  )
  async stream(
    @ClusterIdParam() clusterId: string,
    @Query() q: FindingStreamQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    streamFindings(res, await this.diagnostics.subscription(clusterId, q.silenced === true));
  }

  @Get('clusters/:clusterId/diagnostics/:findingId')
  @Findings('One finding with its evidence (fields and Warning events) and suggested fix', {
    response: FindingDto,
    errors: ['FINDING_NOT_FOUND'],
  })
  finding(@PathParams() at: FindingPathDto): Promise<FindingDto> {
    return this.diagnostics.finding(at.clusterId, at.findingId);
  }

  @Get('clusters/:clusterId/health')
  @Findings(
    'Health score of the cluster and of each namespace, with the findings that cost points',
    { access: 'cluster-wide', response: ClusterHealthDto },
  )
  health(@ClusterIdParam() clusterId: string): Promise<ClusterHealthDto> {
    return this.diagnostics.health(clusterId);
  }
}
