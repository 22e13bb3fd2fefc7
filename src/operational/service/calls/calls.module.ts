import { Module } from '@nestjs/common';
import { ActivitiesModule } from '#operational/activities/index.js';
import { ServiceModule } from '../service.module.js';
import { CallDeskService } from './call-desk.service.js';
import { CallDeskController, CallsController } from './calls.controllers.js';
import { CallsRepository } from './calls.repository.js';
import { CallsService } from './calls.service.js';

/**
 * The call centre: call records, the screen-pop and the agent report. The service desk's
 * module provides its open and resolved cases under `CALL_CASES` (see open-cases.ts).
 */
@Module({
  imports: [ActivitiesModule, ServiceModule],
  controllers: [CallDeskController, CallsController],
  providers: [CallsService, CallsRepository, CallDeskService],
  exports: [CallsService],
})
export class CallsModule {}
