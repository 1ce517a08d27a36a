import { Body, Controller, Delete, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterIdPipe } from '../cluster-registry/cluster-id.pipe';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { ActionQueryDto, ActionResultDto, ScaleDto } from './actions.dto';
import { ActionsService } from './actions.service';
import { KindRefPipe, ObjectNamePipe } from '../common/resource-ref.pipe';

const ERRORS: ErrorCode[] = [
  'VALIDATION_FAILED',
  'METHOD_NOT_ALLOWED',
  'CLUSTER_NOT_FOUND',
  'CLUSTER_UNREACHABLE',
  'CLUSTER_TIMEOUT',
  'CLUSTER_AUTH_FAILED',
  'K8S_FORBIDDEN',
  'K8S_NOT_FOUND',
  'K8S_CONFLICT',
  'K8S_INVALID',
];
const dry = (q: ActionQueryDto) => q.dryRun === 'true';

@ApiTags('actions')
@Controller('api/v1/clusters/:clusterId/resources')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Put(':kind/:name/scale')
  @ApiEndpoint({
    summary: 'Scale a Deployment, StatefulSet or ReplicaSet (dryRun=true: validate only)',
    role: 'operator',
    response: ActionResultDto,
    errors: ERRORS,
  })
  scale(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('kind', KindRefPipe) kind: string,
    @Param('name', ObjectNamePipe) name: string,
    @Query() q: ActionQueryDto,
    @Body() dto: ScaleDto,
  ): Promise<ActionResultDto> {
    const options = { dryRun: dry(q), resourceVersion: dto.resourceVersion };
    return this.actions.scale(
      clusterId,
      { kind, name, namespace: q.namespace },
      dto.replicas,
      options,
    );
  }

  @Post(':kind/:name/restart')
  @ApiEndpoint({
    summary: 'Rollout restart of a Deployment, StatefulSet or DaemonSet',
    role: 'operator',
    response: ActionResultDto,
    errors: ERRORS,
  })
  restart(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('kind', KindRefPipe) kind: string,
    @Param('name', ObjectNamePipe) name: string,
    @Query() q: ActionQueryDto,
  ): Promise<ActionResultDto> {
    return this.actions.restart(
      clusterId,
      { kind, name, namespace: q.namespace },
      { dryRun: dry(q) },
    );
  }

  @Delete('pods/:name')
  @ApiEndpoint({
    summary: 'Delete a pod (its controller replaces it)',
    role: 'operator',
    response: ActionResultDto,
    errors: ERRORS,
  })
  deletePod(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('name', ObjectNamePipe) name: string,
    @Query() q: ActionQueryDto,
  ): Promise<ActionResultDto> {
    return this.actions.deletePod(clusterId, { name, namespace: q.namespace }, { dryRun: dry(q) });
  }

  @Post('pods/:name/evict')
  @ApiEndpoint({
    summary: 'Evict a pod through the eviction API, honouring PodDisruptionBudgets',
    role: 'operator',
    response: ActionResultDto,
    errors: [...ERRORS, 'K8S_DISRUPTION_BUDGET_VIOLATION'],
  })
  evict(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('name', ObjectNamePipe) name: string,
    @Query() q: ActionQueryDto,
  ): Promise<ActionResultDto> {
    return this.actions.evict(clusterId, { name, namespace: q.namespace }, { dryRun: dry(q) });
  }

  @Post('nodes/:name/cordon')
  @ApiEndpoint({
    summary: 'Mark a node unschedulable',
    role: 'operator',
    response: ActionResultDto,
    errors: ERRORS,
  })
  cordon(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('name', ObjectNamePipe) name: string,
    @Query() q: ActionQueryDto,
  ): Promise<ActionResultDto> {
    return this.actions.cordon(clusterId, name, { dryRun: dry(q) });
  }

  @Post('nodes/:name/uncordon')
  @ApiEndpoint({
    summary: 'Mark a node schedulable again',
    role: 'operator',
    response: ActionResultDto,
    errors: ERRORS,
  })
  uncordon(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('name', ObjectNamePipe) name: string,
    @Query() q: ActionQueryDto,
  ): Promise<ActionResultDto> {
    return this.actions.uncordon(clusterId, name, { dryRun: dry(q) });
  }
}
