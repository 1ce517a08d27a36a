import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { ShardMapResponseDto } from './shard-map.dto';
import { ShardMapService } from './shard-map.service';

@ApiTags('system')
@Controller('api/v1/system')
export class ShardMapController {
  constructor(private readonly shards: ShardMapService) {}

  // Admin, like the effective config: it names every replica's internal address and every cluster.
  @Get('shards')
  @ApiEndpoint({
    access: 'installation',
    summary:
      'Shard map: the live replicas, the owners of every cluster and the caches of the replica that answers',
    role: 'admin',
    response: ShardMapResponseDto,
  })
  map(): Promise<ShardMapResponseDto> {
    return this.shards.map();
  }
}
