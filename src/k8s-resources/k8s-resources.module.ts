import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { ResourcesController } from './resources.controller';
import { ResourcesService } from './resources.service';

/** K8sResources: browsing any kind and events. Logs and actions follow (issue 6). */
@Module({ controllers: [EventsController, ResourcesController], providers: [ResourcesService, EventsService] })
export class K8sResourcesModule {}
