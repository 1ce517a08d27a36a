import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ClusterIdPipe } from '../cluster-registry/cluster-id.pipe';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { RawResponse } from '../common/envelope.interceptor';
import { ErrorCode } from '../common/error-codes';
import {
  ClusterHealthDto,
  FindingDto,
  FindingPageDto,
  FindingQueryDto,
  FleetDiagnosticsDto,
} from './diagnostics.dto';
import { FINDING_STREAM_EVENTS, streamFindings } from './diagnostics-stream';
import { DiagnosticsService } from './diagnostics.service';
import { FindingIdPipe } from './finding-id.pipe';

const ERRORS: ErrorCode[] = [
  'VALIDATION_FAILED',
  'CLUSTER_NOT_FOUND',
  'CLUSTER_UNREACHABLE',
  'CLUSTER_TIMEOUT',
  'SERVICE_UNAVAILABLE',
];

@ApiTags('diagnostics')
@Controller('api/v1')
export class DiagnosticsController {
  constructor(private readonly diagnostics: DiagnosticsService) {}

  @Get('diagnostics')
  @ApiEndpoint({
    summary:
      'Fleet diagnostics: per cluster its health score and findings by severity, or its error',
    response: FleetDiagnosticsDto,
  })
  fleet(): Promise<FleetDiagnosticsDto> {
    return this.diagnostics.fleet();
  }

  @Get('clusters/:clusterId/diagnostics')
  @ApiEndpoint({
    summary: 'Current findings of a cluster (filters: namespace, severity, code, kind; paged)',
    response: FindingPageDto,
    errors: ERRORS,
  })
  findings(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Query() q: FindingQueryDto,
  ): Promise<FindingPageDto> {
    return this.diagnostics.findings(clusterId, q);
  }

  @Get('clusters/:clusterId/diagnostics/stream')
  @RawResponse()
  @ApiEndpoint({
    summary:
      'Finding changes as Server-Sent Events: `opened`, `updated`, `resolved` with the finding',
    sse: FINDING_STREAM_EVENTS,
    errors: ERRORS,
  })
  async stream(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Res() res: Response,
  ): Promise<void> {
    streamFindings(res, await this.diagnostics.subscription(clusterId));
  }

  @Get('clusters/:clusterId/diagnostics/:findingId')
  @ApiEndpoint({
    summary: 'One finding with its evidence (fields and Warning events) and suggested fix',
    response: FindingDto,
    errors: [...ERRORS, 'FINDING_NOT_FOUND'],
  })
  finding(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('findingId', FindingIdPipe) findingId: string,
  ): Promise<FindingDto> {
    return this.diagnostics.finding(clusterId, findingId);
  }

  @Get('clusters/:clusterId/health')
  @ApiEndpoint({
    summary:
      'Health score of the cluster and of each namespace, with the findings that cost points',
    response: ClusterHealthDto,
    errors: ERRORS,
  })
  health(@Param('clusterId', ClusterIdPipe) clusterId: string): Promise<ClusterHealthDto> {
    return this.diagnostics.health(clusterId);
  }
}
