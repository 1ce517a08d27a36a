import { Body, Controller, Delete, Get, Headers, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { Public } from '../common/roles';
import { UuidParam } from '../common/route-params.decorator';
import { AlertReceiversService } from './alert-receivers.service';
import {
  AlertmanagerWebhookDto,
  AlertPageResponseDto,
  AlertQueryDto,
  CreatedReceiverResponseDto,
  CreateReceiverDto,
  ReceivedAlertsResponseDto,
  ReceiverResponseDto,
} from './alerts.dto';
import { AlertsService } from './alerts.service';

const Admin = ApiEndpoint.with({ access: 'installation', role: 'admin' });

@ApiTags('integrations')
@Controller('api/v1/integrations/alertmanager')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly receivers: AlertReceiversService,
  ) {}

  /** Public to the API-token guard on purpose: the receiver's own token is checked instead. */
  @Post()
  @Public()
  @ApiEndpoint({
    access: 'global',
    summary:
      "Alertmanager's webhook (payload version 4), with a receiver token (not an API token): alerts stored and linked to findings",
    response: ReceivedAlertsResponseDto,
    errors: ['VALIDATION_FAILED'],
  })
  async receive(
    @Headers('authorization') authorization: string | undefined,
    @Body() payload: AlertmanagerWebhookDto,
  ): Promise<ReceivedAlertsResponseDto> {
    return this.alerts.receive(await this.receivers.authenticate(authorization), payload);
  }

  // Alerts name any cluster and namespace in their labels: readers need every one of them.
  @Get('alerts')
  @ApiEndpoint({
    access: 'installation',
    summary: 'Alerts taken in, newest first, with the findings they are linked to',
    response: AlertPageResponseDto,
  })
  list(@Query() query: AlertQueryDto): Promise<AlertPageResponseDto> {
    return this.alerts.list(query);
  }

  @Post('receivers')
  @Admin('Create an Alertmanager receiver and its token (shown only in this response)', {
    status: 201,
    response: CreatedReceiverResponseDto,
    errors: ['VALIDATION_FAILED', 'CONFLICT'],
  })
  createReceiver(@Body() dto: CreateReceiverDto): Promise<CreatedReceiverResponseDto> {
    return this.receivers.create(dto.name);
  }

  @Get('receivers')
  @Admin('List Alertmanager receivers (never their tokens)', {
    response: ReceiverResponseDto,
    isArray: true,
  })
  listReceivers(): Promise<ReceiverResponseDto[]> {
    return this.receivers.list();
  }

  @Delete('receivers/:id')
  @Admin('Remove a receiver: its token stops working', {
    errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
  })
  removeReceiver(@UuidParam() id: string): Promise<void> {
    return this.receivers.remove(id);
  }
}
