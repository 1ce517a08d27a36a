import { Body, Controller, Delete, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { RuleParam, UuidParam } from '../common/route-params.decorator';
import { DeliveriesService } from './deliveries.service';
import {
  CreateRouteDto,
  DELIVERY_ID_RULE,
  DeliveryPageResponseDto,
  DeliveryQueryDto,
  DeliveryResponseDto,
  RouteResponseDto,
} from './notifications.dto';
import { NotificationRoutesService } from './notification-routes.service';

// Routes and deliveries span every cluster: they are the installation's, like the audit log.
const Admin = ApiEndpoint.with({ access: 'installation', role: 'admin' });
const ONE: ErrorCode[] = ['VALIDATION_FAILED', 'NOT_FOUND'];

@ApiTags('notifications')
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(
    private readonly routes: NotificationRoutesService,
    private readonly deliveries: DeliveriesService,
  ) {}

  @Post('routes')
  @Admin('Create a notification route (its target URL and secret are stored encrypted)', {
    status: 201,
    response: RouteResponseDto,
    errors: ['VALIDATION_FAILED', 'CONFLICT', 'TARGET_URL_REFUSED'],
  })
  create(@Body() dto: CreateRouteDto): Promise<RouteResponseDto> {
    return this.routes.create(dto);
  }

  @Get('routes')
  @Admin('List notification routes (never their target URL or secret)', {
    response: RouteResponseDto,
    isArray: true,
  })
  list(): Promise<RouteResponseDto[]> {
    return this.routes.list();
  }

  @Get('routes/:id')
  @Admin('One notification route', { response: RouteResponseDto, errors: ONE })
  get(@UuidParam() id: string): Promise<RouteResponseDto> {
    return this.routes.get(id);
  }

  @Delete('routes/:id')
  @Admin('Remove a notification route and its pending deliveries', { errors: ONE })
  remove(@UuidParam() id: string): Promise<void> {
    return this.routes.remove(id);
  }

  @Get('deliveries')
  @Admin('The outbox: deliveries newest first, by status (dead: dead-lettered) and route', {
    response: DeliveryPageResponseDto,
  })
  deliveriesPage(@Query() query: DeliveryQueryDto): Promise<DeliveryPageResponseDto> {
    return this.deliveries.list(query);
  }

  @Post('deliveries/:id/retry')
  @Admin('Queue a dead-lettered delivery again, its tries counted afresh', {
    response: DeliveryResponseDto,
    errors: [...ONE, 'CONFLICT'],
  })
  retry(@RuleParam('id', DELIVERY_ID_RULE) id: string): Promise<DeliveryResponseDto> {
    return this.deliveries.retry(Number(id));
  }
}
