import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { EventListDto, EventQueryDto, ObjectEventQueryDto } from './events.dto';
import { EventsService } from './events.service';
import { ClusterIdParam, PathParams } from '../common/route-params.decorator';
import { ObjectPathDto } from '../common/object-path.dto';

const Events = ClusterEndpoint.with({
  live: true,
  response: EventListDto,
  errors: ['K8S_NOT_FOUND'],
});

@ApiTags('events')
@Controller('api/v1/clusters/:clusterId')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get('events')
  @Events('Events, newest first, repeats folded into one row with a count', { access: 'cluster' })
  list(@ClusterIdParam() clusterId: string, @Query() query: EventQueryDto): Promise<EventListDto> {
    return this.events.list(clusterId, query);
  }

  @Get('resources/:kind/:name/events')
  @Events(
    "All events of one object; a workload's include its ReplicaSets' and Pods'. include=changes adds its recorded changes on one timeline",
    { access: 'namespaced' },
  )
  forObject(
    @PathParams() at: ObjectPathDto,
    @Query() query: ObjectEventQueryDto,
  ): Promise<EventListDto> {
    return this.events.forObject(at.clusterId, at.kind, at.name, query.namespace, query.include);
  }
}
