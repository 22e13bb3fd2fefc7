import { declareEvent } from '#platform/events/index.js';

/** `work_order.status_changed`: a field visit moved along its lifecycle. */
export interface WorkOrderStatusChangedPayload {
  number: string;
  from: string;
  to: string;
  caseId: string | null;
  accountId: string | null;
}

/** `work_order.appointment_booked`: a technician was booked for a work order. */
export interface AppointmentBookedPayload {
  appointmentId: string;
  technicianId: string;
  startsAt: string;
  endsAt: string;
}

export const WORK_ORDER_STATUS_CHANGED = declareEvent<WorkOrderStatusChangedPayload>(
  'work_order.status_changed',
  'work-orders',
);
export const APPOINTMENT_BOOKED = declareEvent<AppointmentBookedPayload>(
  'work_order.appointment_booked',
  'work-orders',
);
/** `work_order.appointment_cancelled`: the booking was called off; its slot is free again. */
export const APPOINTMENT_CANCELLED = declareEvent<AppointmentBookedPayload>(
  'work_order.appointment_cancelled',
  'work-orders',
);
