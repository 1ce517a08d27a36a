import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { CHANGE_ID_RULE } from '../common/input-vocabulary';
import { ClusterIdParam, PathParams, RuleParam } from '../common/route-params.decorator';
import { FindingPathDto } from '../common/object-path.dto';
import { ChangeDto, ChangePageDto, ChangeQueryDto, SuspectsDto } from './changes.dto';
import { ChangesService } from './changes.service';
import { SuspectsService } from './suspects.service';

const Timeline = ClusterEndpoint.with({ access: 'cluster' });

@ApiTags('changes')
@Controller('api/v1/clusters/:clusterId')
export class ChangesController {
  constructor(
    private readonly changes: ChangesService,
    private readonly suspects: SuspectsService,
  ) {}

  @Get('changes')
  @Timeline(
    'The change timeline recorded from the watches (filters: namespace, kind, name, category, since, until; paged, newest first)',
    { response: ChangePageDto },
  )
  list(@ClusterIdParam() clusterId: string, @Query() q: ChangeQueryDto): Promise<ChangePageDto> {
    return this.changes.list(clusterId, q);
  }

  @Get('changes/:changeId')
  @Timeline('One recorded change with its structured diff', {
    response: ChangeDto,
    errors: ['CHANGE_NOT_FOUND'],
  })
  get(
    @ClusterIdParam() clusterId: string,
    @RuleParam('changeId', CHANGE_ID_RULE) changeId: string,
  ): Promise<ChangeDto> {
    return this.changes.get(clusterId, changeId);
  }

  @Get('diagnostics/:findingId/suspects')
  @ClusterEndpoint({
    // Suspects span the finding's relations across namespaces, and its id does not say its own.
    access: 'cluster-wide',
    summary:
      'The changes most likely to have caused a finding, ranked by time before its firstSeen and relation to its object, each with why',
    response: SuspectsDto,
    errors: ['FINDING_NOT_FOUND', 'CLUSTER_UNREACHABLE', 'CLUSTER_TIMEOUT', 'SERVICE_UNAVAILABLE'],
  })
  findingSuspects(@PathParams() at: FindingPathDto): Promise<SuspectsDto> {
    return this.suspects.of(at.clusterId, at.findingId);
  }
}
