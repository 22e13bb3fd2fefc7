import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { JobsService } from '#platform/jobs/index.js';
import { ACTIVITY_DUE } from './activities.events.js';

export const REMINDER_QUEUE = 'activities.reminder';

export interface ReminderJob {
  activityId: string;
  /** The reminder time the job was armed for; a later change of it makes this job moot. */
  reminderAt: string;
}

interface DueRow {
  id: string;
  type: string;
  subject: string;
  due_at: Date | null;
  starts_at: Date | null;
  reminder_at: Date;
  owner_id: string;
  team_id: string | null;
  participant_user_ids: string[];
  related_entity: string | null;
  related_id: string | null;
}

/**
 * Each reminder is a job delayed to its time. When it runs, it emits `activity.due` — unless
 * the activity was completed, cancelled, deleted or given another reminder time meanwhile —
 * and stamps `reminderSentAt`, all in one transaction, so a reminder is announced once.
 */
@Injectable()
export class ActivityReminders implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly db: DatabaseService,
    private readonly outbox: EventOutbox,
  ) {}

  onModuleInit(): void {
    this.jobs.work<ReminderJob>(
      REMINDER_QUEUE,
      async (job) => {
        await this.remind(job.payload);
      },
      { concurrency: 2 },
    );
  }

  async remind(job: ReminderJob): Promise<boolean> {
    return this.db.transaction(RequestContext.system(), async (tx) => {
      const [row] = await this.db.query<DueRow>(
        tx,
        `UPDATE activities SET reminder_sent_at = now(), version = version + 1
          WHERE id = $1 AND reminder_at = $2::timestamptz AND reminder_sent_at IS NULL
            AND status = 'planned' AND deleted_at IS NULL
          RETURNING id, type, subject, due_at, starts_at, reminder_at, owner_id, team_id,
                    participant_user_ids, related_entity, related_id`,
        [job.activityId, job.reminderAt],
      );
      if (!row) return false;
      await this.outbox.append(tx, [
        ACTIVITY_DUE.of(row.id, {
          type: row.type,
          subject: row.subject,
          dueAt: row.due_at?.toISOString() ?? null,
          startsAt: row.starts_at?.toISOString() ?? null,
          reminderAt: row.reminder_at.toISOString(),
          ownerId: row.owner_id,
          teamId: row.team_id,
          participantUserIds: row.participant_user_ids,
          relatedEntity: row.related_entity,
          relatedId: row.related_id,
        }),
      ]);
      return true;
    });
  }
}
