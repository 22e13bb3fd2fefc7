import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError, type FieldError } from '#platform/http/index.js';
import { RecordResourceService, RecordService, type RecordHooks } from '#platform/records/index.js';
import { TECHNICIAN_DEFINITION } from './field-service.definitions.js';

export interface WorkingHours {
  day: number;
  start: string;
  end: string;
}

/** Technicians: an active user each, skills kept unique, working hours that make sense. */
@Injectable()
export class TechniciansService extends RecordResourceService {
  readonly def = TECHNICIAN_DEFINITION;

  protected override readonly hooks: RecordHooks = {
    shape: (input) =>
      Array.isArray(input.skills)
        ? {
            ...input,
            skills: [...new Set((input.skills as string[]).map((s) => s.trim().toLowerCase()))],
          }
        : input,
    validate: (ctx, r, changed) => this.validateTechnician(ctx, r, changed),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
  ) {
    super(records);
  }

  private async validateTechnician(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
  ): Promise<void> {
    const errors: FieldError[] = [];
    ((r.weeklyHours ?? []) as WorkingHours[]).forEach((h, i) => {
      if (h.end <= h.start)
        errors.push({
          field: `weeklyHours[${i}].end`,
          rule: 'min',
          message: 'must be after start',
        });
    });
    if (errors.length) throw AppError.validation(errors);
    if (changed.has('userId')) {
      const user = await this.db.one(
        ctx,
        `SELECT 1 FROM users WHERE id = $1 AND active AND deleted_at IS NULL`,
        [r.userId],
      );
      if (!user)
        throw AppError.field(
          'userId',
          'notFound',
          'refers to a user that does not exist or is inactive',
        );
    }
  }
}
