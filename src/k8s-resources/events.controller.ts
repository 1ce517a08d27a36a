import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterIdPipe } from '../cluster-registry/cluster-id.pipe';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { EventListDto, EventQueryDto, ObjectEventQueryDto } from './events.dto';
import { EventsService } from './events.service';
import { KindRefPipe, ObjectNamePipe } from '../common/resource-ref.pipe';

const ERRORS: ErrorCode[] = [
  'VALIDATION_FAILED',
  'CLUSTER_NOT_FOUND',
  'CLUSTER_UNREACHABLE',
  'CLUSTER_TIMEOUT',
  'CLUSTER_AUTH_FAILED',
  'K8S_FORBIDDEN',
  'K8S_NOT_FOUND',
];

@ApiTags('events')
@Controller('api/v1/clusters/:clusterId')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get('events')
  @ApiEndpoint({
    summary: 'Events, newest first, repeats folded into one row with a count',
    response: EventListDto,
    errors: ERRORS,
  })
  list(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Query() query: EventQueryDto,
  ): Promise<EventListDto> {
    return this.events.list(clusterId, query);
  }

  @Get('resources/:kind/:name/events')
  @ApiEndpoint({
    summary: "All events of one object; a workload's include its ReplicaSets' and Pods'",
    response: EventListDto,
    errors: ERRORS,
  })
  forObject(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Param('kind', KindRefPipe) kind: string,
    @Param('name', ObjectNamePipe) name: string,
    @Query() query: ObjectEventQueryDto,
  ): Promise<EventListDto> {
    return this.events.forObject(clusterId, kind, name, query.namespace);
  }
}
