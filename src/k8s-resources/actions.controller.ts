import { Body, Controller, Delete, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { PathParams } from '../common/route-params.decorator';
import { NamedPathDto, ObjectPathDto } from '../common/object-path.dto';
import { ActionQueryDto, ActionResultDto, ScaleDto } from './actions.dto';
import { ActionsService } from './actions.service';

const ERRORS: ErrorCode[] = ['METHOD_NOT_ALLOWED', 'K8S_NOT_FOUND', 'K8S_CONFLICT', 'K8S_INVALID'];
const dry = (q: ActionQueryDto) => q.dryRun === true;
/** The object a route names: its kind (where the path has one) and name, its namespace from the query. */
const target = <P extends NamedPathDto | ObjectPathDto>(
  { clusterId: _cluster, ...path }: P,
  q: ActionQueryDto,
) => ({ ...path, namespace: q.namespace });
const Action = ClusterEndpoint.with({
  access: 'namespaced',
  live: true,
  role: 'operator',
  response: ActionResultDto,
  errors: ERRORS,
});

@ApiTags('actions')
@Controller('api/v1/clusters/:clusterId/resources')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Put(':kind/:name/scale')
  @Action('Scale a Deployment, StatefulSet or ReplicaSet (dryRun=true: validate only)')
  scale(
    @PathParams() at: ObjectPathDto,
    @Query() q: ActionQueryDto,
    @Body() dto: ScaleDto,
  ): Promise<ActionResultDto> {
    const options = { dryRun: dry(q), resourceVersion: dto.resourceVersion };
    return this.actions.scale(at.clusterId, target(at, q), dto.replicas, options);
  }

  @Post(':kind/:name/restart')
  @Action('Rollout restart of a Deployment, StatefulSet or DaemonSet')
  restart(@PathParams() at: ObjectPathDto, @Query() q: ActionQueryDto): Promise<ActionResultDto> {
    return this.actions.restart(at.clusterId, target(at, q), { dryRun: dry(q) });
  }

  @Delete('pods/:name')
  @Action('Delete a pod (its controller replaces it)')
  deletePod(@PathParams() at: NamedPathDto, @Query() q: ActionQueryDto): Promise<ActionResultDto> {
    return this.actions.deletePod(at.clusterId, target(at, q), { dryRun: dry(q) });
  }

  @Post('pods/:name/evict')
  @Action('Evict a pod through the eviction API, honouring PodDisruptionBudgets', {
    errors: ['K8S_DISRUPTION_BUDGET_VIOLATION'],
  })
  evict(@PathParams() at: NamedPathDto, @Query() q: ActionQueryDto): Promise<ActionResultDto> {
    return this.actions.evict(at.clusterId, target(at, q), { dryRun: dry(q) });
  }

  @Post('nodes/:name/cordon')
  @Action('Mark a node unschedulable', { access: 'cluster-wide' })
  cordon(@PathParams() at: NamedPathDto, @Query() q: ActionQueryDto): Promise<ActionResultDto> {
    return this.actions.cordon(at.clusterId, at.name, { dryRun: dry(q) });
  }

  @Post('nodes/:name/uncordon')
  @Action('Mark a node schedulable again', { access: 'cluster-wide' })
  uncordon(@PathParams() at: NamedPathDto, @Query() q: ActionQueryDto): Promise<ActionResultDto> {
    return this.actions.uncordon(at.clusterId, at.name, { dryRun: dry(q) });
  }
}
