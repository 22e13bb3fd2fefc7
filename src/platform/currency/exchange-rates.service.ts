import { Injectable } from '@nestjs/common';
import { adminField } from '#platform/access/admin-list.js';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import { HistoryService } from '#platform/audit/history.service.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { AppError } from '#platform/http/app-error.js';
import { checkIfMatch } from '#platform/http/etag.js';
import type { QuerySchema } from '#platform/query/query-schema.js';
import { AdminTableService } from '#platform/records/admin-table.service.js';
import type { EffectiveRateDto, ExchangeRateDto } from './dto/exchange-rate.dto.js';
import { rateLookupSql } from './exchange-rate-lookup.js';
import { Money } from './money-math.js';

export const EXCHANGE_RATE_ENTITY = 'exchange_rates';

interface ExchangeRateRow {
  id: string;
  from_currency: string;
  to_currency: string;
  rate: string;
  valid_from: string;
  created_by_id: string | null;
  updated_by_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

interface RateInput {
  fromCurrency?: string;
  toCurrency?: string;
  rate?: string;
  validFrom?: string;
}

const SCHEMA: QuerySchema = {
  entity: EXCHANGE_RATE_ENTITY,
  table: 'exchange_rates',
  alias: 'x',
  fields: new Map([
    adminField('id', 'x.id', 'uuid', { sortable: true }),
    adminField('fromCurrency', 'x.from_currency', 'string', { sortable: true }),
    adminField('toCurrency', 'x.to_currency', 'string', { sortable: true }),
    adminField('rate', 'x.rate', 'decimal', { sortable: true }),
    adminField('validFrom', 'x.valid_from', 'date', { sortable: true }),
    adminField('createdAt', 'x.created_at', 'datetime', { sortable: true }),
    adminField('updatedAt', 'x.updated_at', 'datetime', { sortable: true }),
  ]),
  relations: new Map(),
  search: `lower(x.from_currency || '/' || x.to_currency)`,
  defaultSort: '-validFrom,fromCurrency,toCurrency',
  ownerColumn: null,
  teamColumn: null,
};

const FIELDS = [
  'id',
  'fromCurrency',
  'toCurrency',
  'rate',
  'validFrom',
  'createdById',
  'updatedById',
  'createdAt',
  'updatedAt',
  'version',
] as const satisfies readonly (keyof ExchangeRateDto)[];

const HISTORY_IGNORED = new Set(['id', 'createdAt', 'updatedAt', 'version', 'updatedById']);

function presentRate(r: ExchangeRateRow): ExchangeRateDto {
  return {
    id: r.id,
    fromCurrency: r.from_currency,
    toCurrency: r.to_currency,
    rate: String(r.rate),
    validFrom: r.valid_from,
    createdById: r.created_by_id,
    updatedById: r.updated_by_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

/**
 * Dated exchange rates. Admins write them; every signed-in user may read them, since a
 * converted amount is only as good as the rate behind it. Rates are kept as given (numeric, no
 * rounding); a pair has at most one live rate per day. Once a rate is deleted,
 * conversions fall back to the pair's previous rate.
 */
@Injectable()
export class ExchangeRatesService extends AdminTableService<ExchangeRateRow, ExchangeRateDto> {
  constructor(db: DatabaseService, permissions: PermissionEvaluator, history: HistoryService) {
    super(db, permissions, history, {
      schema: SCHEMA,
      label: 'exchange rate',
      fields: FIELDS,
      historyIgnored: HISTORY_IGNORED,
    });
  }

  override async create(ctx: RequestContext, input: Required<RateInput>): Promise<ExchangeRateDto> {
    this.permissions.requireAdmin(ctx.user);
    assertDifferent(input.fromCurrency, input.toCurrency);
    return this.db.transaction(ctx, async (tx) => {
      await this.assertDayFree(tx, input, null);
      const [row] = await this.db.query<ExchangeRateRow>(
        tx,
        `INSERT INTO exchange_rates (id, from_currency, to_currency, rate, valid_from, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *`,
        [
          uuidv7(),
          input.fromCurrency,
          input.toCurrency,
          input.rate,
          input.validFrom,
          ctx.user.userId,
        ],
      );
      const view = presentRate(row);
      await this.recordCreated(tx, view);
      return view;
    });
  }

  override async update(
    ctx: RequestContext,
    id: string,
    patch: RateInput,
    ifMatch: string | undefined,
  ): Promise<ExchangeRateDto> {
    this.permissions.requireAdmin(ctx.user);
    return this.db.transaction(ctx, async (tx) => {
      const existing = await this.load(tx, id, { forUpdate: true });
      checkIfMatch(ifMatch, existing.version);
      const before = presentRate(existing);
      const next = {
        fromCurrency: patch.fromCurrency ?? before.fromCurrency,
        toCurrency: patch.toCurrency ?? before.toCurrency,
        rate: patch.rate ?? before.rate,
        validFrom: patch.validFrom ?? before.validFrom,
      };
      assertDifferent(next.fromCurrency, next.toCurrency);
      const samePair =
        next.fromCurrency === before.fromCurrency &&
        next.toCurrency === before.toCurrency &&
        next.validFrom === before.validFrom;
      // "16250.50" and "16250.5" are the same rate: no new version for a change of notation.
      if (samePair && new Money(next.rate).equals(before.rate)) return before;
      if (!samePair) await this.assertDayFree(tx, next, id);
      const [row] = await this.db.query<ExchangeRateRow>(
        tx,
        `UPDATE exchange_rates SET from_currency = $2, to_currency = $3, rate = $4, valid_from = $5,
                updated_by_id = $6, version = version + 1, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [id, next.fromCurrency, next.toCurrency, next.rate, next.validFrom, ctx.user.userId],
      );
      const after = presentRate(row);
      await this.recordUpdated(tx, before, after);
      return after;
    });
  }

  /** The rate that converts `from` into `to` on `date`, by the rule every report uses. */
  async effective(
    ctx: RequestContext,
    from: string,
    to: string,
    date: string,
  ): Promise<EffectiveRateDto> {
    const base = { fromCurrency: from, toCurrency: to, date };
    if (from === to)
      return { ...base, rate: '1', inverse: false, exchangeRateId: null, validFrom: null };
    const found = await this.db.one<{
      rate: string;
      inverse: boolean;
      rate_id: string;
      valid_from: string;
    }>(
      ctx,
      `SELECT fx.* FROM (VALUES ($1::char(3), $2::char(3), $3::date)) v (cur, target, day)
         JOIN LATERAL ${rateLookupSql('v.cur', 'v.day', 'v.target')} fx ON true`,
      [from, to, date],
    );
    if (!found) throw new AppError('exchange_rate_missing', { from, to, date });
    return {
      ...base,
      rate: found.inverse
        ? new Money(1).div(found.rate).toSignificantDigits(20).toFixed()
        : String(found.rate),
      inverse: found.inverse,
      exchangeRateId: found.rate_id,
      validFrom: found.valid_from,
    };
  }

  /** Not admins only: every signed-in user reads rates. */
  protected override authorizeRead(): void {}

  protected override async present(_ctx: RequestContext, rows: ExchangeRateRow[]) {
    return rows.map(presentRate);
  }

  protected override async restoreRow(
    tx: RequestContext,
    rate: ExchangeRateRow,
  ): Promise<ExchangeRateRow> {
    await this.assertDayFree(tx, presentRate(rate), rate.id);
    return super.restoreRow(tx, rate);
  }

  /** One live rate per pair and day: a second one is a 409 naming the first. */
  private async assertDayFree(
    tx: RequestContext,
    r: { fromCurrency: string; toCurrency: string; validFrom: string },
    exceptId: string | null,
  ): Promise<void> {
    const clash = await this.db.one<{ id: string }>(
      tx,
      `SELECT id FROM exchange_rates
        WHERE from_currency = $1 AND to_currency = $2 AND valid_from = $3 AND deleted_at IS NULL
          AND id IS DISTINCT FROM $4::uuid`,
      [r.fromCurrency, r.toCurrency, r.validFrom, exceptId],
    );
    if (clash)
      throw new AppError(
        'unique_violation',
        { field: 'fromCurrency, toCurrency, validFrom' },
        undefined,
        { field: 'validFrom', existingId: clash.id },
      );
  }
}

function assertDifferent(from: string, to: string): void {
  if (from === to)
    throw AppError.field('toCurrency', 'differentCurrency', `must differ from ${from}`, {
      other: from,
    });
}
