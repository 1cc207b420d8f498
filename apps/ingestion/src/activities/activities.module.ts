import { Module } from '@nestjs/common';
import { ActivitiesController } from './activities.controller';

/** POST /v1/activities: what leads did, as activity.recorded events. */
@Module({ controllers: [ActivitiesController] })
export class ActivitiesModule {}
