import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type Principal, RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { type DomainEvent, EventBus } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import { PipelineCatalog } from '../pipelines/pipeline-catalog.js';
import { OpportunitiesService } from './opportunities.service.js';

/**
 * When a customer accepts a quote, its opportunity is won: it moves to the won stage of its
 * pipeline through the opportunity's own rules, so the stage history, forecast and
 * `opportunity.stage_changed` follow as for any move. The move is the system's reaction on
 * behalf of whoever accepted the quote, whatever their rights on the opportunity. A closed
 * opportunity stays as it is; one whose won stage wants fields it lacks is left open and
 * logged, as a person has to fill them in; a missing amount is the quote's grand total.
 */
@Injectable()
export class OpportunityQuoteAcceptance implements OnModuleInit {
  private readonly logger = new Logger('OpportunityQuoteAcceptance');

  constructor(
    private readonly db: DatabaseService,
    private readonly bus: EventBus,
    private readonly catalog: PipelineCatalog,
    private readonly opportunities: OpportunitiesService,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe({
      name: 'opportunities.win-on-quote-accepted',
      types: ['quote.accepted'],
      handle: (event) => this.win(event),
    });
  }

  async win(event: DomainEvent): Promise<void> {
    const opportunityId = event.data.opportunityId as string | null;
    if (!opportunityId) return;
    const row = await this.db.one<{
      pipeline: string;
      status: string;
      owner_id: string;
      has_amount: boolean;
    }>(
      RequestContext.system(),
      `SELECT pipeline, status, owner_id, amount_amount IS NOT NULL AS has_amount FROM opportunities WHERE id = $1 AND deleted_at IS NULL`,
      [opportunityId],
    );
    if (!row || row.status !== 'open') return;
    const won = this.catalog.find(row.pipeline)?.stages.find((s) => s.kind === 'won');
    if (!won) return;
    const ctx = RequestContext.system().withPrincipal(actingFor(event.actorId ?? row.owner_id));
    try {
      // A deal without an amount takes the accepted quote's: the won stage asks for one.
      const amount = row.has_amount ? {} : { amount: event.data.grandTotal };
      await this.opportunities.update(ctx, opportunityId, { stage: won.key, ...amount });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      this.logger.warn(
        `quote ${String(event.data.number)} accepted; opportunity ${opportunityId} stays open: ${err.code}`,
      );
    }
  }
}

/** The system acting for a user: the event already passed that user's checks. */
function actingFor(userId: string): Principal {
  return {
    userId,
    email: '',
    roleId: '',
    roleName: 'system',
    teamIds: [],
    teammateIds: [],
    permissions: { admin: true, entities: {}, fields: {} },
    apiKeyId: null,
  };
}
