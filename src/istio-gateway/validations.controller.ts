import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ValidationReportDto, ValidationsQueryDto } from './istio-object.dto';
import { MeshValidationService } from './mesh-validation.service';
import { ClusterIdParam } from '../common/route-params.decorator';

@ApiTags('istio')
@Controller('api/v1/clusters/:clusterId/istio/validations')
export class ValidationsController {
  constructor(private readonly validation: MeshValidationService) {}

  @Get()
  @ClusterEndpoint({
    access: 'cluster',
    live: true,
    summary:
      'Validation findings for Istio and Gateway API objects (docs/istio-validations.md); namespace narrows the report',
    response: ValidationReportDto,
    errors: ['ISTIO_NOT_INSTALLED', 'K8S_THROTTLED'],
  })
  validate(
    @ClusterIdParam() clusterId: string,
    @Query() q: ValidationsQueryDto,
  ): Promise<ValidationReportDto> {
    return this.validation.validate(clusterId, q.namespace);
  }
}
