import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventBus, type DomainEvent } from '#platform/events/index.js';
import { CampaignMembersService, type MemberStatus } from '../campaigns/index.js';

const STATUS_OF: Record<string, MemberStatus> = {
  'message.sent': 'sent',
  'message.opened': 'opened',
  'message.clicked': 'clicked',
  'message.bounced': 'bounced',
};

/**
 * Moves a campaign's members along as their messages go out, are opened, clicked or bounce.
 * A member already further along stays where they are: events may arrive out of order.
 */
@Injectable()
export class CampaignMemberTracking implements OnModuleInit {
  constructor(
    private readonly db: DatabaseService,
    private readonly bus: EventBus,
    private readonly members: CampaignMembersService,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe({
      name: 'campaign-send.member-status',
      types: Object.keys(STATUS_OF),
      handle: (event) => this.track(event),
    });
  }

  private async track(event: DomainEvent): Promise<void> {
    const { sourceKey, contactId } = event.data as { sourceKey?: string; contactId?: string };
    const match = /^campaign:([0-9a-f-]{36})$/.exec(sourceKey ?? '');
    if (!match || !contactId) return;
    const campaignId = match[1];
    await this.db.transaction(RequestContext.system(), async (tx) => {
      const member = await this.db.one(
        tx,
        `SELECT 1 FROM campaign_members WHERE campaign_id = $1 AND contact_id = $2`,
        [campaignId, contactId],
      );
      if (member) await this.members.move(tx, campaignId, contactId, STATUS_OF[event.type], true);
    });
  }
}
