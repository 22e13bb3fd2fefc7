import { Injectable } from '@nestjs/common';
import { ActivitiesService } from '#operational/activities/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { ContactAccess } from '../preferences/contact-access.js';
import { MessageTemplatesService } from '../templates/index.js';
import type { StepOutcome } from './automation-runs.repository.js';
import type { Step } from './automation-steps.js';

export interface StepRun {
  id: string;
  automationId: string;
  contactId: string;
  event: Record<string, unknown>;
}

/**
 * The create_task step: a task on the contact (and so on its account's timeline) for the step's
 * user or the contact's owner, its subject filled in with the same merge fields as a template.
 */
@Injectable()
export class AutomationTaskStep {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly templates: MessageTemplatesService,
    private readonly access: ContactAccess,
  ) {}

  async perform(
    tx: RequestContext,
    run: StepRun,
    step: Step,
  ): Promise<{ outcome: StepOutcome; detail: Record<string, unknown> }> {
    const contact = await this.access.system(tx, run.contactId);
    const data = await this.templates.mergeData.build(
      tx,
      { contactId: run.contactId, event: run.event },
      false,
    );
    const subject = (await this.templates.renderLine(step.subject!, data)).trim().slice(0, 200);
    const ownerId = step.userId ?? contact.ownerId;
    const dueAt = new Date(Date.now() + (step.dueInDays ?? 0) * 86_400_000).toISOString();
    const task = await this.activities.create(this.access.asSystem(tx), {
      type: 'task',
      subject: subject || step.subject!.slice(0, 200),
      ...(step.description ? { description: step.description } : {}),
      priority: step.priority ?? 'normal',
      dueAt,
      relatedEntity: 'contacts',
      relatedId: run.contactId,
      ownerId,
    });
    return {
      outcome: 'done',
      detail: {
        taskId: task.id,
        ownerId,
        dueAt,
        accountId: contact.accountId ?? null,
      },
    };
  }
}
