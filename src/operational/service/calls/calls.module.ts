import { Module } from '@nestjs/common';
import { ActivitiesModule } from '#operational/activities/index.js';
import { CallDeskService } from './call-desk.service.js';
import { CallDeskController, CallsController } from './calls.controllers.js';
import { CallsRepository } from './calls.repository.js';
import { CallsService } from './calls.service.js';

/**
 * The call centre: call records, the screen-pop and the agent report. The cases module plugs
 * its open and resolved cases in under `CALL_CASES` (see open-cases.ts).
 */
@Module({
  imports: [ActivitiesModule],
  controllers: [CallDeskController, CallsController],
  providers: [CallsService, CallsRepository, CallDeskService],
  exports: [CallsService],
})
export class CallsModule {}
