import { Module } from '@nestjs/common';
import { ActionsController } from './actions.controller';
import { ActionsService } from './actions.service';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { ResourcesController } from './resources.controller';
import { ResourcesService } from './resources.service';

/** K8sResources: browsing any kind, events and safe actions. Logs and apply follow (issue 6). */
@Module({ controllers: [EventsController, ResourcesController, ActionsController], providers: [ResourcesService, EventsService, ActionsService] })
export class K8sResourcesModule {}
