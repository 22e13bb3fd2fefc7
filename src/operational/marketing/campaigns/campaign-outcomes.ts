import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ActivitiesService } from '#operational/activities/index.js';
import { LeadsService } from '#operational/sales/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { EventBus, EventOutbox, type DomainEvent } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import { RecordService } from '#platform/records/index.js';
import type { MemberStatus } from './campaign-member-status.js';
import { CampaignMembersService } from './campaign-members.service.js';
import { CampaignsService } from './campaigns.service.js';
import { CAMPAIGN_RESPONSE_RECEIVED } from './campaigns.events.js';
import type {
  CallTasksDto,
  CampaignAttributionDto,
  CampaignResponseDto,
} from './dto/campaign-outcome.dto.js';

const MAX_CALL_TASKS = 1000;

/**
 * What a campaign brings: responses (from a contact, moving them to responded, or a new lead
 * with source `campaign`), opportunities and orders credited to it (explicitly, or when a
 * lead from one of its responses converts), and call tasks for telemarketing.
 */
@Injectable()
export class CampaignOutcomes implements OnModuleInit {
  constructor(
    private readonly db: DatabaseService,
    private readonly records: RecordService,
    private readonly campaigns: CampaignsService,
    private readonly members: CampaignMembersService,
    private readonly leads: LeadsService,
    private readonly activities: ActivitiesService,
    private readonly outbox: EventOutbox,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe({
      name: 'campaigns.credit-converted-lead',
      types: ['lead.converted'],
      handle: (event) => this.creditConversion(event),
    });
  }

  async respond(ctx: RequestContext, id: string, body: CampaignResponseDto) {
    if (!!body.contactId === !!body.lead)
      throw AppError.field('contactId', 'exactlyOne', 'give either contactId or lead');
    return this.db.transaction(ctx, async (tx) => {
      await this.campaigns.lockForAction(tx, id);
      let contactId: string | null = null;
      let leadId: string | null = null;
      if (body.contactId) {
        contactId = body.contactId.toLowerCase();
        await this.records.mustReference(tx, 'contacts', contactId, 'contactId', 'a contact');
        await this.members.ensureMember(tx, id, contactId);
        await this.members.move(tx, id, contactId, 'responded', true);
      } else {
        const lead = await this.leads.create(tx, { ...body.lead, source: 'campaign' });
        leadId = lead.id;
      }
      const responseId = uuidv7();
      const row = await this.db.one<{ respondedAt: Date }>(
        tx,
        `INSERT INTO campaign_responses (id, campaign_id, contact_id, lead_id, note, created_by_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING responded_at AS "respondedAt"`,
        [responseId, id, contactId, leadId, body.note ?? null, tx.user.userId],
      );
      await this.outbox.append(tx, [
        CAMPAIGN_RESPONSE_RECEIVED.of(id, { campaignId: id, responseId, contactId, leadId }),
      ]);
      return {
        id: responseId,
        campaignId: id,
        contactId,
        leadId,
        note: body.note ?? null,
        respondedAt: row!.respondedAt.toISOString(),
      };
    });
  }

  async attribute(ctx: RequestContext, id: string, body: CampaignAttributionDto) {
    return this.db.transaction(ctx, async (tx) => {
      await this.campaigns.lockForAction(tx, id);
      const recordId = body.recordId.toLowerCase();
      await this.records.mustReference(tx, body.entity, recordId, 'recordId', 'a record');
      await this.link(tx, id, body.entity, recordId, 'explicit');
      return this.attributions(tx, id);
    });
  }

  async attributions(ctx: RequestContext, id: string) {
    await this.campaigns.get(ctx, id);
    const rows = await this.db.query<{
      entity: string;
      recordId: string;
      source: string;
      createdAt: Date;
    }>(
      ctx,
      `SELECT entity, record_id AS "recordId", source, created_at AS "createdAt"
         FROM campaign_attributions WHERE campaign_id = $1 ORDER BY created_at, record_id`,
      [id],
    );
    return { data: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
  }

  /** Call activities for members in a status, owned by the given users in turn. */
  async callTasks(ctx: RequestContext, id: string, body: CallTasksDto) {
    return this.db.transaction(ctx, async (tx) => {
      const campaign = await this.campaigns.lockForAction(tx, id);
      if (campaign.type !== 'telemarketing')
        throw new AppError('campaign_not_telemarketing', { type: campaign.type });
      const status = (body.memberStatus ?? 'targeted') as MemberStatus;
      const contacts = await this.members.contactIds(tx, id, status, MAX_CALL_TASKS);
      const users = [...new Set(body.userIds.map((u) => u.toLowerCase()))];
      const created: { activityId: string; contactId: string; ownerId: string }[] = [];
      for (const [i, contactId] of contacts.entries()) {
        const ownerId = users[i % users.length];
        const activity = await this.activities.create(tx, {
          type: 'call',
          subject: body.subject ?? `Call: ${campaign.name as string}`,
          direction: 'outbound',
          dueAt: body.dueAt ?? null,
          relatedEntity: 'contacts',
          relatedId: contactId,
          ownerId,
        });
        created.push({ activityId: activity.id, contactId, ownerId });
      }
      return { data: created };
    });
  }

  private async link(
    tx: RequestContext,
    id: string,
    entity: string,
    recordId: string,
    source: 'response' | 'explicit',
  ): Promise<void> {
    await this.db.query(
      tx,
      `INSERT INTO campaign_attributions (campaign_id, entity, record_id, source)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [id, entity, recordId, source],
    );
  }

  /**
   * A lead from a campaign's response converted: its opportunity is credited to the campaign
   * and the contact it became is a converted member.
   */
  async creditConversion(event: DomainEvent): Promise<void> {
    const leadId = event.recordId;
    if (!leadId) return;
    const opportunityId = event.data.opportunityId as string | null;
    const contactId = event.data.contactId as string | null;
    await this.db.transaction(RequestContext.system(), async (tx) => {
      const responses = await this.db.query<{ campaignId: string }>(
        tx,
        `SELECT DISTINCT campaign_id AS "campaignId" FROM campaign_responses WHERE lead_id = $1`,
        [leadId],
      );
      for (const { campaignId } of responses) {
        if (opportunityId)
          await this.link(tx, campaignId, 'opportunities', opportunityId, 'response');
        if (contactId) {
          await this.members.ensureMember(tx, campaignId, contactId);
          await this.members.move(tx, campaignId, contactId, 'converted', true);
        }
      }
    });
  }
}
