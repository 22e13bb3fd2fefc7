import { Module } from '@nestjs/common';
import { ActivitiesController } from './activities.controller.js';
import { ActivitiesService } from './activities.service.js';
import { ActivityReminders } from './activity-reminders.js';
import { ActivityTimeline } from './activity-timeline.js';

/** Tasks, calls, meetings, logged emails and notes, on the timelines of what they concern. */
@Module({
  controllers: [ActivitiesController],
  providers: [ActivitiesService, ActivityTimeline, ActivityReminders],
  exports: [ActivitiesService],
})
export class ActivitiesModule {}
