import { Body, Controller, Delete, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
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

@ApiTags('notifications')
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(
    private readonly routes: NotificationRoutesService,
    private readonly deliveries: DeliveriesService,
  ) {}

  // Routes and deliveries span every cluster: they are the installation's, like the audit log.
  @Post('routes')
  @ApiEndpoint({
    access: 'installation',
    summary: 'Create a notification route (its target URL and secret are stored encrypted)',
    role: 'admin',
    status: 201,
    response: RouteResponseDto,
    errors: ['VALIDATION_FAILED', 'CONFLICT', 'TARGET_URL_REFUSED'],
  })
  create(@Body() dto: CreateRouteDto): Promise<RouteResponseDto> {
    return this.routes.create(dto);
  }

  @Get('routes')
  @ApiEndpoint({
    access: 'installation',
    summary: 'List notification routes (never their target URL or secret)',
    role: 'admin',
    response: RouteResponseDto,
    isArray: true,
  })
  list(): Promise<RouteResponseDto[]> {
    return this.routes.list();
  }

  @Get('routes/:id')
  @ApiEndpoint({
    access: 'installation',
    summary: 'One notification route',
    role: 'admin',
    response: RouteResponseDto,
    errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
  })
  get(@UuidParam() id: string): Promise<RouteResponseDto> {
    return this.routes.get(id);
  }

  @Delete('routes/:id')
  @ApiEndpoint({
    access: 'installation',
    summary: 'Remove a notification route and its pending deliveries',
    role: 'admin',
    errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
  })
  remove(@UuidParam() id: string): Promise<void> {
    return this.routes.remove(id);
  }

  @Get('deliveries')
  @ApiEndpoint({
    access: 'installation',
    summary: 'The outbox: deliveries newest first, by status (dead: dead-lettered) and route',
    role: 'admin',
    response: DeliveryPageResponseDto,
  })
  deliveriesPage(@Query() query: DeliveryQueryDto): Promise<DeliveryPageResponseDto> {
    return this.deliveries.list(query);
  }

  @Post('deliveries/:id/retry')
  @ApiEndpoint({
    access: 'installation',
    summary: 'Queue a dead-lettered delivery again, its tries counted afresh',
    role: 'admin',
    response: DeliveryResponseDto,
    errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'],
  })
  retry(@RuleParam('id', DELIVERY_ID_RULE) id: string): Promise<DeliveryResponseDto> {
    return this.deliveries.retry(Number(id));
  }
}
