import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { SystemConfigResponseDto, SystemInfoResponseDto } from './system.dto';
import { SystemService } from './system.service';

@ApiTags('system')
@Controller('api/v1/system')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Get('config')
  @ApiEndpoint({
    access: 'installation',
    summary: 'Effective configuration with the source of each value (secrets masked)',
    role: 'admin',
    response: SystemConfigResponseDto,
  })
  config(): SystemConfigResponseDto {
    return this.system.effectiveConfig();
  }

  @Get('info')
  @ApiEndpoint({
    access: 'global',
    summary: 'Version, mode and runtime of this CloudPilot',
    response: SystemInfoResponseDto,
  })
  info(): SystemInfoResponseDto {
    return this.system.info();
  }
}
