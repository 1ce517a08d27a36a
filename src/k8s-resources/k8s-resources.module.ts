import { Module } from '@nestjs/common';
import { KubernetesModule } from '../kubernetes/kubernetes.module';
import { ActionsController } from './actions.controller';
import { ActionsService } from './actions.service';
import { ApplyController } from './apply.controller';
import { ApplyService } from './apply.service';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { LogsController } from './logs.controller';
import { LogsService } from './logs.service';
import { ResourcesController } from './resources.controller';
import { ResourcesService } from './resources.service';

/** K8sResources: browsing any kind, events, safe actions and apply, pod logs. */
@Module({
  imports: [KubernetesModule],
  controllers: [
    EventsController,
    ResourcesController,
    ActionsController,
    ApplyController,
    LogsController,
  ],
  providers: [ResourcesService, EventsService, ActionsService, ApplyService, LogsService],
  exports: [ResourcesService, EventsService, ActionsService, ApplyService, LogsService],
})
export class K8sResourcesModule {}
