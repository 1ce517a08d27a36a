import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { EventListDto, EventQueryDto, ObjectEventQueryDto } from './events.dto';
import { EventsService } from './events.service';
import { ClusterIdParam, KindParam, NameParam } from '../common/route-params.decorator';

const ERRORS: ErrorCode[] = ['K8S_NOT_FOUND'];

@ApiTags('events')
@Controller('api/v1/clusters/:clusterId')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get('events')
  @ClusterEndpoint({
    access: 'cluster',
    live: true,
    summary: 'Events, newest first, repeats folded into one row with a count',
    response: EventListDto,
    errors: ERRORS,
  })
  list(@ClusterIdParam() clusterId: string, @Query() query: EventQueryDto): Promise<EventListDto> {
    return this.events.list(clusterId, query);
  }

  @Get('resources/:kind/:name/events')
  @ClusterEndpoint({
    access: 'namespaced',
    live: true,
    summary:
      "All events of one object; a workload's include its ReplicaSets' and Pods'. include=changes adds its recorded changes on one timeline",
    response: EventListDto,
    errors: ERRORS,
  })
  forObject(
    @ClusterIdParam() clusterId: string,
    @KindParam() kind: string,
    @NameParam() name: string,
    @Query() query: ObjectEventQueryDto,
  ): Promise<EventListDto> {
    return this.events.forObject(clusterId, kind, name, query.namespace, query.include);
  }
}
