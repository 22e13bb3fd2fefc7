import { Inject, Injectable } from '@nestjs/common';
import {
  CATALOG_SECTION,
  ConfigurationPricingService,
  type CatalogConfig,
  type ConfiguredOption,
} from '#operational/catalog/index.js';
import { ACCOUNT_DEFINITION, CONTACT_DEFINITION } from '#operational/customers/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { RecordService, type ResourceDefinition } from '#platform/records/index.js';
import type { QuoteLanguage } from '../quotes.config.js';
import { QuotesService } from '../quotes.service.js';
import { renderProposal, type LineDetail, type Proposal } from './proposal-layout.js';

type Money = { amount: string; currency: string };
type Tax = { category: string; rate: string; base: Money; amount: Money };

/**
 * The proposal of a quote as a PDF, in the quote's language: the configured letterhead,
 * number, version, date and validity, the customer, the lines, the discounts, the taxes
 * per category and the totals, then the quote's terms (or the configured ones).
 */
@Injectable()
export class QuoteDocumentService {
  private readonly catalog: CatalogConfig;

  constructor(
    private readonly quotes: QuotesService,
    private readonly records: RecordService,
    private readonly db: DatabaseService,
    private readonly configurations: ConfigurationPricingService,
    @Inject(CRM_CONFIG) config: CrmConfig,
  ) {
    this.catalog = CATALOG_SECTION.read(config);
  }

  async render(ctx: RequestContext, id: string): Promise<{ pdf: Buffer; fileName: string }> {
    const { record: q } = await this.quotes.get(ctx, id);
    const language = q.language as QuoteLanguage;
    const rows = await this.db.query<
      Proposal['lines'][number] & {
        configurationId: string | null;
        options: ConfiguredOption[] | null;
      }
    >(
      ctx,
      `SELECT coalesce(description, '') AS description, quantity::text AS quantity,
              unit_price_amount::text AS "unitPrice", discount_percent::text AS "discountPercent",
              net_amount_amount::text AS net, configuration_id AS "configurationId",
              configuration_options AS options
         FROM quote_lines WHERE quote_id = $1 AND deleted_at IS NULL ORDER BY position, id`,
      [id],
    );
    const lines: Proposal['lines'] = [];
    for (const { configurationId, options, ...line } of rows)
      lines.push({
        ...line,
        details: options
          ? options.map((o) => ({ text: o.description, amount: o.unitAmount.amount }))
          : configurationId
            ? await this.optionsOf(ctx, configurationId)
            : [],
      });
    const account = await this.nameOf(ctx, ACCOUNT_DEFINITION, q.accountId as string, (r) =>
      String(r.name),
    );
    const contact = q.contactId
      ? await this.nameOf(ctx, CONTACT_DEFINITION, q.contactId as string, (r) =>
          [r.salutation, r.firstName, r.lastName].filter(Boolean).join(' '),
        )
      : null;
    const settings = this.quotes.settings;
    const proposal: Proposal = {
      language,
      letterhead: settings.letterhead,
      number: q.number as string,
      revision: q.revision as number,
      date: ((q.sentAt ?? q.createdAt) as string).slice(0, 10),
      validUntil: q.validUntil as string,
      status: q.status as string,
      customer: account,
      attention: contact,
      currency: q.currency as string,
      lines,
      subtotal: (q.subtotal as Money).amount,
      headerDiscountPercent: q.headerDiscountPercent as string,
      headerDiscount: (q.headerDiscount as Money).amount,
      taxes: (q.taxes as Tax[]).map((t) => ({
        label: this.taxLabel(t, language),
        base: t.base.amount,
        amount: t.amount.amount,
      })),
      grandTotal: (q.grandTotal as Money).amount,
      notes: (q.notes as string | null) ?? null,
      terms: (q.terms as string | null) ?? settings.terms[language],
    };
    return {
      pdf: await renderProposal(proposal),
      fileName: `${String(q.number)}-${String(q.revision)}.pdf`,
    };
  }

  /**
   * The options of a line made before lines kept them as quoted: named as the saved
   * selections read today, without prices (today's are not the quoted ones); none when the
   * caller may no longer read the configuration.
   */
  private async optionsOf(ctx: RequestContext, configurationId: string): Promise<LineDetail[]> {
    if (!(await this.records.isReadable(ctx, 'configurations', configurationId))) return [];
    const snapshot = await this.configurations.priceSaved(ctx, configurationId);
    return snapshot.lines
      .filter((l) => l.optionId !== null)
      .map((l) => ({ text: l.description, amount: null }));
  }

  private taxLabel(t: Tax, language: QuoteLanguage): string {
    // Configured labels name their rate already ("PPN 11%"); a removed category shows it.
    const label = this.catalog.taxCategories.find((c) => c.key === t.category)?.label;
    if (!label) return `${t.category} (${t.rate}%)`;
    return (language === 'id' ? label.id : undefined) ?? label.en;
  }

  /** A related record's name when the caller may read it; a proposal prints without it otherwise. */
  private async nameOf(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
    name: (r: Record<string, unknown>) => string,
  ): Promise<string | null> {
    if (!(await this.records.isReadable(ctx, def.entity, id))) return null;
    return name(await this.records.load(ctx, def, id));
  }
}
