import { Module } from '@nestjs/common';
import { ResourcesController } from './resources.controller';
import { ResourcesService } from './resources.service';

/** K8sResources: browsing any kind. Events, logs and actions follow (issue 6). */
@Module({ controllers: [ResourcesController], providers: [ResourcesService] })
export class K8sResourcesModule {}
