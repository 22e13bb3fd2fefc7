import { Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError, QueryParams } from '#platform/http/index.js';
import { RecordService } from '#platform/records/index.js';
import type { CreateAppointmentDto } from './dto/field-service.dto.js';
import { TECHNICIAN_DEFINITION, WORK_ORDER_DEFINITION } from './field-service.definitions.js';
import { APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED } from './field-service.events.js';
import { localParts, nextDay, startOfDay } from './local-time.js';
import type { WorkingHours } from './technicians.service.js';

interface AppointmentRow {
  id: string;
  workOrderId: string;
  technicianId: string;
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
}

const COLUMNS = `a.id, a.work_order_id AS "workOrderId", a.technician_id AS "technicianId",
  a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.created_at AS "createdAt"`;

const present = (a: AppointmentRow) => ({
  ...a,
  startsAt: a.startsAt.toISOString(),
  endsAt: a.endsAt.toISOString(),
  createdAt: a.createdAt.toISOString(),
});

const isExclusionViolation = (err: unknown) =>
  (err as { code?: string }).code === '23P01' ||
  (err as { driverError?: { code?: string } }).driverError?.code === '23P01';

/**
 * Booking technicians on work orders. The database refuses overlapping bookings of one
 * technician (an exclusion constraint), so two requests racing for a slot cannot both win;
 * the loser gets a 409 naming the appointment it collided with. Skills and working hours are
 * checked before.
 */
@Injectable()
export class AppointmentsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly records: RecordService,
    private readonly permissions: PermissionEvaluator,
    private readonly outbox: EventOutbox,
  ) {}

  async book(ctx: RequestContext, workOrderId: string, body: CreateAppointmentDto) {
    const startsAt = new Date(body.startsAt);
    const endsAt = new Date(body.endsAt);
    if (endsAt <= startsAt) throw AppError.field('endsAt', 'min', 'must be after startsAt');
    try {
      return await this.db.transaction(ctx, async (tx) => {
        const order = await this.updatableOrder(tx, workOrderId);
        if (order.status === 'completed' || order.status === 'cancelled')
          throw new AppError('conflict', {
            reason: `The work order is ${order.status as string}.`,
          });
        await this.records.mustReference(
          tx,
          'technicians',
          body.technicianId,
          'technicianId',
          'a technician',
        );
        const tech = await this.records.load(tx, TECHNICIAN_DEFINITION, body.technicianId);
        const missing = ((order.requiredSkills ?? []) as string[]).filter(
          (s) => !((tech.skills ?? []) as string[]).includes(s),
        );
        if (missing.length)
          throw new AppError('technician_lacks_skill', { skills: missing.join(', ') });
        checkWorkingHours(
          tech.timeZone as string,
          tech.weeklyHours as WorkingHours[],
          startsAt,
          endsAt,
        );
        await this.throwIfClash(tx, body.technicianId, startsAt, endsAt);
        const [row] = await this.db.query<AppointmentRow>(
          tx,
          `INSERT INTO work_order_appointments AS a (id, work_order_id, technician_id, starts_at, ends_at, created_by_id)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
          [uuidv7(), order.id, tech.id, startsAt, endsAt, tx.user.userId],
        );
        await this.outbox.append(tx, [
          APPOINTMENT_BOOKED.of(order.id, {
            appointmentId: row.id,
            technicianId: row.technicianId,
            startsAt: row.startsAt.toISOString(),
            endsAt: row.endsAt.toISOString(),
          }),
        ]);
        return present(row);
      });
    } catch (err) {
      // Another booking committed between our check and our insert: name it now that it is visible.
      if (isExclusionViolation(err))
        await this.throwIfClash(ctx, body.technicianId, startsAt, endsAt);
      throw err;
    }
  }

  /** The work order locked for a change the caller may make (404 outside reach, 403 without the right). */
  private async updatableOrder(tx: RequestContext, workOrderId: string) {
    const order = await this.records.load(tx, WORK_ORDER_DEFINITION, workOrderId, {
      forUpdate: true,
    });
    const scope = this.permissions.grant(tx.user, WORK_ORDER_DEFINITION.entity).update;
    if (!this.permissions.inScope(tx.user, scope, order))
      throw AppError.forbidden('update', WORK_ORDER_DEFINITION.entity);
    return order;
  }

  /** Cancels a live appointment; its slot is free for another booking at once. */
  async cancel(ctx: RequestContext, workOrderId: string, appointmentId: string): Promise<void> {
    await this.db.transaction(ctx, async (tx) => {
      const order = await this.updatableOrder(tx, workOrderId);
      const [row] = await this.db.query<{ technician_id: string; starts_at: Date; ends_at: Date }>(
        tx,
        `UPDATE work_order_appointments SET cancelled_at = now()
          WHERE id = $1 AND work_order_id = $2 AND cancelled_at IS NULL
          RETURNING technician_id, starts_at, ends_at`,
        [appointmentId, order.id],
      );
      if (!row) throw AppError.notFound('appointment', appointmentId);
      await this.outbox.append(tx, [
        APPOINTMENT_CANCELLED.of(order.id, {
          appointmentId,
          technicianId: row.technician_id,
          startsAt: row.starts_at.toISOString(),
          endsAt: row.ends_at.toISOString(),
        }),
      ]);
    });
  }

  async list(ctx: RequestContext, workOrderId: string) {
    const order = await this.records.load(ctx, WORK_ORDER_DEFINITION, workOrderId);
    const rows = await this.db.query<AppointmentRow>(
      ctx,
      `SELECT ${COLUMNS} FROM work_order_appointments a
        WHERE a.work_order_id = $1 AND a.cancelled_at IS NULL ORDER BY a.starts_at`,
      [order.id],
    );
    return { data: rows.map(present) };
  }

  /** A technician's appointments on a day of their own calendar, with that day's hours. */
  async schedule(ctx: RequestContext, technicianId: string, query: Record<string, unknown>) {
    const params = new QueryParams(query, ['date']);
    const date = params.date('date', true);
    params.done();
    const tech = await this.records.load(ctx, TECHNICIAN_DEFINITION, technicianId);
    const zone = tech.timeZone as string;
    const rows = await this.db.query<AppointmentRow & { workOrderNumber: string; subject: string }>(
      ctx,
      `SELECT ${COLUMNS}, wo.number AS "workOrderNumber", wo.subject
         FROM work_order_appointments a JOIN work_orders wo ON wo.id = a.work_order_id
        WHERE a.technician_id = $1 AND a.cancelled_at IS NULL AND wo.deleted_at IS NULL
          AND a.period && tstzrange($2, $3, '[)')
        ORDER BY a.starts_at`,
      [tech.id, startOfDay(date!, zone), startOfDay(nextDay(date!), zone)],
    );
    const weekday = new Date(`${date!}T12:00:00Z`).getUTCDay() || 7;
    return {
      technicianId: tech.id,
      date: date!,
      timeZone: zone,
      workingHours: ((tech.weeklyHours ?? []) as WorkingHours[]).filter((h) => h.day === weekday),
      appointments: rows.map((r) => ({
        ...present(r),
        workOrderNumber: r.workOrderNumber,
        subject: r.subject,
        localStart: localParts(r.startsAt, zone).time,
        localEnd: localParts(r.endsAt, zone).time,
      })),
    };
  }

  private async throwIfClash(ctx: RequestContext, technicianId: string, from: Date, to: Date) {
    const clash = await this.db.one<{ id: string; startsAt: Date; endsAt: Date }>(
      ctx,
      `SELECT id, starts_at AS "startsAt", ends_at AS "endsAt" FROM work_order_appointments
        WHERE technician_id = $1 AND cancelled_at IS NULL AND period && tstzrange($2, $3, '[)')
        ORDER BY starts_at LIMIT 1`,
      [technicianId, from, to],
    );
    if (clash)
      throw new AppError(
        'appointment_double_booked',
        {
          clash: clash.id,
          startsAt: clash.startsAt.toISOString(),
          endsAt: clash.endsAt.toISOString(),
        },
        undefined,
        { clashingAppointmentId: clash.id },
      );
  }
}

/** Start and end on one local day of the technician, inside one of that weekday's slots. */
function checkWorkingHours(zone: string, hours: WorkingHours[], startsAt: Date, endsAt: Date) {
  const start = localParts(startsAt, zone);
  const end = localParts(new Date(endsAt.getTime() - 1), zone);
  const endTime = localParts(endsAt, zone).time;
  const fits =
    start.date === end.date &&
    (hours ?? []).some(
      (h) =>
        h.day === start.weekday &&
        h.start <= start.time &&
        (endTime === '00:00' ? '24:00' : endTime) <= h.end,
    );
  if (!fits)
    throw new AppError('outside_working_hours', {
      startsAt: `${start.date} ${start.time}`,
      endsAt: endTime,
      timeZone: zone,
    });
}
