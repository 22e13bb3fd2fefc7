import { Module } from '@nestjs/common';
import { AppointmentsService } from './appointments.service.js';
import {
  AppointmentsController,
  TechniciansController,
  WorkOrdersController,
} from './field-service.controllers.js';
import { TechniciansService } from './technicians.service.js';
import { WorkOrdersService } from './work-orders.service.js';

/** Field service: technicians with skills and hours, work orders, and their appointments. */
@Module({
  controllers: [AppointmentsController, TechniciansController, WorkOrdersController],
  providers: [TechniciansService, WorkOrdersService, AppointmentsService],
  exports: [WorkOrdersService],
})
export class FieldServiceModule {}
