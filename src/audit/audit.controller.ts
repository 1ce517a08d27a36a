import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { AuditPageResponseDto, AuditQueryDto } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiEndpoint({
    access: 'installation',
    summary: 'Audit log of mutating requests, newest first',
    role: 'admin',
    response: AuditPageResponseDto,
    errors: ['VALIDATION_FAILED'],
  })
  list(@Query() query: AuditQueryDto): Promise<AuditPageResponseDto> {
    return this.audit.list(query);
  }
}
