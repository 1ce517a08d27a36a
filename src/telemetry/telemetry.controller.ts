import { Controller, Delete, Get, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ClusterIdParam } from '../common/route-params.decorator';
import { ApiDiscriminatedBody, DiscriminatedBody } from '../common/discriminated-body';
import { GraphService } from './graph.service';
import { SignalsService } from './signals.service';
import { TelemetrySourceService } from './telemetry-source.service';
import {
  GraphQueryDto,
  ServiceGraphDto,
  SignalsListDto,
  SignalsQueryDto,
  TelemetrySourceDto,
  TELEMETRY_SOURCE_BODY,
  TelemetrySourceInput,
  TelemetrySourceTestDto,
} from './telemetry.dto';

const AS_DATA = 'Prometheus failures are data (telemetry.state error), never an error response';
const Signals = ClusterEndpoint.with({ access: 'cluster', response: SignalsListDto });
// The source, the graph: its edges name both ends by id, so filtering nodes by namespace would
// still show who calls whom.
const ClusterWide = ClusterEndpoint.with({ access: 'cluster-wide' });
const Admin = ClusterEndpoint.with({
  access: 'cluster-wide',
  role: 'admin',
  errors: ['NOT_AVAILABLE_IN_INSTANT_MODE'],
});

@ApiTags('telemetry')
@Controller('api/v1/clusters/:clusterId/telemetry')
export class TelemetryController {
  constructor(
    private readonly signals: SignalsService,
    private readonly graphs: GraphService,
    private readonly sources: TelemetrySourceService,
  ) {}

  @Get('services')
  @Signals(
    `Golden signals and Kiali-style health per Service (rate, 5xx/4xx/gRPC error ratios, p50/p95/p99). ${AS_DATA}`,
  )
  services(@ClusterIdParam() clusterId: string, @Query() query: SignalsQueryDto) {
    return this.signals.list(clusterId, 'service', query);
  }

  @Get('workloads')
  @Signals(`Golden signals and health per workload, inbound and outbound. ${AS_DATA}`)
  workloads(@ClusterIdParam() clusterId: string, @Query() query: SignalsQueryDto) {
    return this.signals.list(clusterId, 'workload', query);
  }

  @Get('graph')
  @ClusterWide(
    `The service graph of a namespace or the cluster: workloads, Services and unknown callers; edges with rate, error %, p95, protocol, mTLS share (format=mermaid adds a flowchart). ${AS_DATA}`,
    { response: ServiceGraphDto },
  )
  graph(@ClusterIdParam() clusterId: string, @Query() query: GraphQueryDto) {
    return this.graphs.graph(clusterId, query);
  }

  @Get('source')
  @ClusterWide("The cluster's Prometheus source (never its credential)", {
    response: TelemetrySourceDto,
  })
  source(@ClusterIdParam() clusterId: string): Promise<TelemetrySourceDto> {
    return this.sources.get(clusterId);
  }

  @Put('source')
  @Admin(
    'Set the Prometheus source: a URL (Prometheus, Thanos, Mimir, VictoriaMetrics) with bearer/basic auth and CA, or the in-cluster Prometheus through the API server; stored encrypted',
    { response: TelemetrySourceDto, errorFamilies: ['connection'] },
  )
  @ApiDiscriminatedBody(TELEMETRY_SOURCE_BODY)
  setSource(
    @ClusterIdParam() clusterId: string,
    @DiscriminatedBody(TELEMETRY_SOURCE_BODY) body: TelemetrySourceInput,
  ): Promise<TelemetrySourceDto> {
    return this.sources.set(clusterId, body);
  }

  @Delete('source')
  @Admin('Remove the Prometheus source (telemetry becomes notConfigured)')
  removeSource(@ClusterIdParam() clusterId: string): Promise<void> {
    return this.sources.remove(clusterId);
  }

  @Post('source/test')
  @ClusterWide(`Test the Prometheus source with one query. ${AS_DATA}`, {
    response: TelemetrySourceTestDto,
  })
  testSource(@ClusterIdParam() clusterId: string): Promise<TelemetrySourceTestDto> {
    return this.sources.test(clusterId);
  }
}
