import { Module } from '@nestjs/common';
import { JobMaintenance } from './job-maintenance.js';
import { JobsAdminService } from './jobs-admin.service.js';
import { JobsController } from './jobs.controller.js';

/**
 * The admin view of the job queue and its housekeeping. JobsService itself is provided by the
 * platform module, so every feature can enqueue and register workers without importing this.
 */
@Module({
  controllers: [JobsController],
  providers: [JobsAdminService, JobMaintenance],
})
export class JobsModule {}
