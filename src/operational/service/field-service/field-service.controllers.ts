import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems, UuidParamPipe } from '#platform/http/index.js';
import { recordController } from '#platform/records/index.js';
import { AppointmentsService } from './appointments.service.js';
import {
  AppointmentDto,
  AppointmentListDto,
  CreateAppointmentDto,
  CreateTechnicianDto,
  CreateWorkOrderDto,
  ScheduleDto,
  TechnicianDto,
  UpdateTechnicianDto,
  UpdateWorkOrderDto,
  WorkOrderDto,
} from './dto/field-service.dto.js';
import { TechniciansService } from './technicians.service.js';
import { WorkOrdersService } from './work-orders.service.js';

export const TechniciansController = recordController({
  path: 'technicians',
  tag: 'Field service',
  label: 'technician',
  service: TechniciansService,
  createDto: CreateTechnicianDto,
  updateDto: UpdateTechnicianDto,
  responseDto: TechnicianDto,
  filterExample: 'filter[active][eq]=true',
});

export const WorkOrdersController = recordController({
  path: 'work-orders',
  tag: 'Field service',
  label: 'work order',
  service: WorkOrdersService,
  createDto: CreateWorkOrderDto,
  updateDto: UpdateWorkOrderDto,
  responseDto: WorkOrderDto,
  filterExample: 'filter[status][in]=scheduled,dispatched',
});

@ApiTags('Field service')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1')
export class AppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Post('work-orders/:id/appointments')
  @ApiOperation({
    summary: 'Book a technician for a work order',
    description:
      'The technician must have every skill the work order requires (422 `technician_lacks_skill`) and be within ' +
      'their working hours, in their time zone, on one day (422 `outside_working_hours`). An overlap with another ' +
      'live appointment of the technician answers 409 `appointment_double_booked` naming it in ' +
      '`clashingAppointmentId`; the database enforces this, so concurrent bookings of one slot cannot both succeed. ' +
      'Needs update on the work order. Emits `work_order.appointment_booked`.',
    operationId: 'create_appointment_work_orders',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: AppointmentDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async book(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: CreateAppointmentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const appointment = await this.appointments.book(ctx, id, body);
    void reply.header('location', `/api/v1/work-orders/${id}/appointments/${appointment.id}`);
    return appointment;
  }

  @Post('work-orders/:id/appointments/:appointmentId/cancel')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Cancel an appointment, freeing its slot',
    description:
      'Another booking may take the time at once. A cancelled or unknown appointment answers 404. Needs update on ' +
      'the work order. Emits `work_order.appointment_cancelled`.',
    operationId: 'cancel_appointment_work_orders',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'appointmentId', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404)
  cancel(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('appointmentId', UuidParamPipe) appointmentId: string,
  ): Promise<void> {
    return this.appointments.cancel(ctx, id, appointmentId);
  }

  @Get('work-orders/:id/appointments')
  @ApiOperation({
    summary: "A work order's appointments, earliest first",
    operationId: 'list_appointments_work_orders',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AppointmentListDto })
  @ApiProblems(400, 401, 403, 404)
  list(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.appointments.list(ctx, id);
  }

  @Get('technicians/:id/schedule')
  @ApiOperation({
    summary: "A technician's day: working hours and appointments",
    description: "`date` is a day of the technician's calendar, in their time zone.",
    operationId: 'schedule_technicians',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'date', required: true, schema: { type: 'string', format: 'date' } })
  @ApiOkResponse({ type: ScheduleDto })
  @ApiProblems(400, 401, 403, 404)
  schedule(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.appointments.schedule(ctx, id, query);
  }
}
