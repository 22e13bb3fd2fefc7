import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of field service; `{name}` comes from the params. */
export const FIELD_SERVICE_PROBLEMS_CATALOG = {
  work_order_status_transition: {
    status: 409,
    en: [
      'Status change not allowed',
      'A work order in status {from} cannot move to {to}; it can move to: {allowed}.',
    ],
    id: [
      'Perubahan status tidak diizinkan',
      'Perintah kerja berstatus {from} tidak dapat berpindah ke {to}; status berikutnya yang diizinkan: {allowed}.',
    ],
  },
  appointment_double_booked: {
    status: 409,
    en: [
      'Technician already booked',
      'The technician has appointment {clash} from {startsAt} to {endsAt}, overlapping this one.',
    ],
    id: [
      'Teknisi sudah dipesan',
      'Teknisi sudah punya janji {clash} dari {startsAt} sampai {endsAt} yang bertumpang tindih.',
    ],
    extensions: {
      clashingAppointmentId: {
        type: 'string',
        format: 'uuid',
        maxLength: 36,
        example: '0192f000-0000-7000-8000-000000000042',
        description: 'The appointment the new one overlaps',
      },
    },
  },
  technician_lacks_skill: {
    status: 422,
    en: [
      'Technician lacks a skill',
      'The work order needs {skills}, which the technician does not have.',
    ],
    id: [
      'Teknisi tidak punya keahlian',
      'Perintah kerja memerlukan {skills}, yang tidak dimiliki teknisi.',
    ],
  },
  outside_working_hours: {
    status: 422,
    en: [
      'Outside working hours',
      "From {startsAt} to {endsAt} ({timeZone}) is not within the technician's working hours.",
    ],
    id: [
      'Di luar jam kerja',
      'Dari {startsAt} sampai {endsAt} ({timeZone}) tidak dalam jam kerja teknisi.',
    ],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    work_order_status_transition: true;
    appointment_double_booked: true;
    technician_lacks_skill: true;
    outside_working_hours: true;
  }
}

export const FIELD_SERVICE_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'field-service', problems: FIELD_SERVICE_PROBLEMS_CATALOG },
];
