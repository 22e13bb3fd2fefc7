import { recordController } from '#platform/records/index.js';
import { ActivitiesService } from './activities.service.js';
import { ActivityDto, CreateActivityDto, UpdateActivityDto } from './dto/activity.dto.js';

export const ActivitiesController = recordController({
  path: 'activities',
  tag: 'Activities',
  label: 'activity',
  service: ActivitiesService,
  createDto: CreateActivityDto,
  updateDto: UpdateActivityDto,
  responseDto: ActivityDto,
  filterExample:
    'filter[type][in]=task,call&filter[status][eq]=planned&filter[dueAt][lte]=2026-12-31T23:59:59Z&filter[participantUserIds][contains]=0192f000-0000-7000-8000-000000000001',
});
