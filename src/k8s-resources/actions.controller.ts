import { Body, Controller, Delete, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { ClusterIdParam, KindParam, NameParam } from '../common/route-params.decorator';
import { ActionQueryDto, ActionResultDto, ScaleDto } from './actions.dto';
import { ActionsService } from './actions.service';

const ERRORS: ErrorCode[] = ['METHOD_NOT_ALLOWED', 'K8S_NOT_FOUND', 'K8S_CONFLICT', 'K8S_INVALID'];
const dry = (q: ActionQueryDto) => q.dryRun === true;

@ApiTags('actions')
@Controller('api/v1/clusters/:clusterId/resources')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Put(':kind/:name/scale')
  @ClusterEndpoint({
    access: 'namespaced',
    live: true,
    summary: 'Scale a Deployment, StatefulSet or ReplicaSet (dryRun=true: validate only)',
    role: 'operator',
    response: ActionResultDto,
    errors: ERRORS,
  })
  scale(
    @ClusterIdParam() clusterId: string,
    @KindParam() kind: string,
    @NameParam() name: string,
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
  @ClusterEndpoint({
    access: 'namespaced',
    live: true,
    summary: 'Rollout restart of a Deployment, StatefulSet or DaemonSet',
    role: 'operator',
    response: ActionResultDto,
    errors: ERRORS,
  })
  restart(
    @ClusterIdParam() clusterId: string,
    @KindParam() kind: string,
    @NameParam() name: string,
    @Query() q: ActionQueryDto,
  ): Promise<ActionResultDto> {
    return this.actions.restart(
      clusterId,
      { kind, name, namespace: q.namespace },
      { dryRun: dry(q) },
    );
  }

  @Delete('pods/:name')
  @ClusterEndpoint({
    access: 'namespaced',
    live: true,
    summary: 'Delete a pod (its controller replaces it)',
    role: 'operator',
    response: ActionResultDto,
    errors: ERRORS,
  })
  deletePod(
    @ClusterIdParam() clusterId: string,
    @NameParam() name: string,
    @Query() q: ActionQueryDto,
  ): Promise<ActionResultDto> {
    return this.actions.deletePod(clusterId, { name, namespace: q.namespace }, { dryRun: dry(q) });
  }

  @Post('pods/:name/evict')
  @ClusterEndpoint({
    access: 'namespaced',
    live: true,
    summary: 'Evict a pod through the eviction API, honouring PodDisruptionBudgets',
    role: 'operator',
    response: ActionResultDto,
    errors: [...ERRORS, 'K8S_DISRUPTION_BUDGET_VIOLATION'],
  })
  evict(
    @ClusterIdParam() clusterId: string,
    @NameParam() name: string,
    @Query() q: ActionQueryDto,
  ): Promise<ActionResultDto> {
    return this.actions.evict(clusterId, { name, namespace: q.namespace }, { dryRun: dry(q) });
  }

  @Post('nodes/:name/cordon')
  @ClusterEndpoint({
    access: 'cluster-wide',
    live: true,
    summary: 'Mark a node unschedulable',
    role: 'operator',
    response: ActionResultDto,
    errors: ERRORS,
  })
  cordon(
    @ClusterIdParam() clusterId: string,
    @NameParam() name: string,
    @Query() q: ActionQueryDto,
  ): Promise<ActionResultDto> {
    return this.actions.cordon(clusterId, name, { dryRun: dry(q) });
  }

  @Post('nodes/:name/uncordon')
  @ClusterEndpoint({
    access: 'cluster-wide',
    live: true,
    summary: 'Mark a node schedulable again',
    role: 'operator',
    response: ActionResultDto,
    errors: ERRORS,
  })
  uncordon(
    @ClusterIdParam() clusterId: string,
    @NameParam() name: string,
    @Query() q: ActionQueryDto,
  ): Promise<ActionResultDto> {
    return this.actions.uncordon(clusterId, name, { dryRun: dry(q) });
  }
}
