import { Inject, Injectable } from '@nestjs/common';
import * as highsModule from 'highs';
import type { Highs, LegacyHighsSolution } from 'highs';
import { Money, roundMoney } from '#platform/currency/index.js';

type Loader = () => Promise<Highs>;
// The package is CommonJS: under Node's ESM loader its function arrives as `default`.
const loadHighs =
  (highsModule as unknown as { default?: Loader }).default ?? (highsModule as unknown as Loader);
type MoneyValue = ConstructorParameters<typeof Money>[0];
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { AppError, type FieldError } from '#platform/http/index.js';
import { BudgetHistoryRepository } from './budget-history.repository.js';
import { lpText, planModel, type PlanCandidate, type PlanProblem } from './budget-lp.js';
import { BUDGET_PLAN_SECTION, type BudgetPlanConfig } from './budget.config.js';

const RATES = ['responseRate', 'marginPerResponse', 'costPerContact'] as const;

/** A candidate as asked: its rates given, or all left to campaign history. */
export type AskedCandidate = Omit<PlanCandidate, (typeof RATES)[number]> &
  Partial<Pick<PlanCandidate, (typeof RATES)[number]>>;
export type PlanRequest = Omit<PlanProblem, 'candidates'> & {
  currency: string;
  candidates: AskedCandidate[];
};

/** Where a candidate's rates came from, answered beside its plan line. */
interface RateSource {
  source: 'given' | 'history';
  sample?: { contacts: number; responses: number };
}

const TOLERANCE = 1e-6;

/**
 * The campaign budget planner: builds the allocation LP, solves it with HiGHS (WebAssembly)
 * and answers the plan, what it is expected to bring, and which constraints bind. When no
 * plan exists, a deletion filter over the constraints finds a smallest conflicting set.
 */
@Injectable()
export class BudgetPlannerService {
  private solver: Promise<Highs> | null = null;
  private readonly config: BudgetPlanConfig;

  constructor(
    private readonly history: BudgetHistoryRepository,
    @Inject(CRM_CONFIG) crm: CrmConfig,
  ) {
    this.config = BUDGET_PLAN_SECTION.read(crm);
  }

  async plan(ctx: RequestContext, asked: PlanRequest) {
    this.checkRatesGiven(asked.candidates);
    const { candidates, sources } = await this.rates(ctx, asked);
    const p = { ...asked, candidates };
    this.check(p);
    const highs = await (this.solver ??= loadHighs());
    const model = planModel(p);
    const solution: LegacyHighsSolution = highs.solve(lpText(model));
    if (solution.Status === 'Infeasible') {
      const conflicting = this.conflict(highs, model);
      throw new AppError(
        'budget_plan_infeasible',
        { constraints: conflicting.join(', ') },
        undefined,
        { conflictingConstraints: conflicting },
      );
    }
    if (solution.Status !== 'Optimal') throw new Error(`LP solver ended with ${solution.Status}`);
    const money = (v: MoneyValue) => ({ amount: roundMoney(v, p.currency), currency: p.currency });
    let revenue = new Money(0);
    let cost = new Money(0);
    const plan = p.candidates.map((c, i) => {
      const contacts = new Money(solution.Columns[`x${i}`]?.Primal ?? 0).toDecimalPlaces(6);
      const spend = contacts.times(c.costPerContact);
      const expected = contacts.times(c.responseRate).times(c.marginPerResponse);
      revenue = revenue.plus(expected);
      cost = cost.plus(spend);
      return {
        segment: c.segment,
        channel: c.channel,
        contacts: contacts.toDecimalPlaces(2).toFixed(2),
        spend: money(spend),
        expectedResponses: contacts.times(c.responseRate).toDecimalPlaces(2).toFixed(2),
        expectedRevenue: money(expected),
        rates: {
          responseRate: decimal(c.responseRate),
          marginPerResponse: decimal(c.marginPerResponse),
          costPerContact: decimal(c.costPerContact),
          ...sources[i],
        },
      };
    });
    const activity = new Map<string, number>(
      (solution.Rows as { Name: string; Primal: number }[]).map((r) => [r.Name, r.Primal]),
    );
    const binding = model.constraints
      .filter(
        (c) =>
          Math.abs((activity.get(c.row) ?? 0) - c.bound) <=
          TOLERANCE * Math.max(1, Math.abs(c.bound)),
      )
      .map((c) => c.name);
    return {
      currency: p.currency,
      plan,
      expectedRevenue: money(revenue),
      cost: money(cost),
      expectedProfit: money(revenue.minus(cost)),
      bindingConstraints: binding,
    };
  }

  /**
   * The candidates with every rate: as given, or measured from campaign history (response
   * rate = responses ÷ members, cost per contact = members' cost shares ÷ members, margin per
   * response = credited orders' margin ÷ responses). 422 naming each candidate whose history
   * has fewer members than `budgetPlan.minHistorySample`.
   */
  private async rates(
    ctx: RequestContext,
    p: PlanRequest,
  ): Promise<{ candidates: PlanCandidate[]; sources: RateSource[] }> {
    const wanted = p.candidates.filter((c) => c.responseRate === undefined);
    const measured = wanted.length
      ? await this.history.measure(ctx, wanted, p.currency, this.config.historyDays)
      : [];
    const thin: { candidate: string; segment: string; channel: string; contacts: number }[] = [];
    const sources: RateSource[] = [];
    const candidates = p.candidates.map((c, i): PlanCandidate => {
      if (c.responseRate !== undefined) {
        sources.push({ source: 'given' });
        return c as PlanCandidate;
      }
      const m = measured.find((x) => x.segment === c.segment && x.channel === c.channel)!;
      if (m.contacts < this.config.minHistorySample)
        thin.push({
          candidate: `candidates[${i}]`,
          segment: c.segment,
          channel: c.channel,
          contacts: m.contacts,
        });
      sources.push({ source: 'history', sample: { contacts: m.contacts, responses: m.responses } });
      const contacts = Math.max(1, m.contacts);
      return {
        segment: c.segment,
        channel: c.channel,
        responseRate: new Money(m.responses).div(contacts).toFixed(),
        costPerContact: new Money(m.cost).div(contacts).toFixed(),
        marginPerResponse: m.responses ? new Money(m.margin).div(m.responses).toFixed() : '0',
      };
    });
    if (thin.length)
      throw new AppError(
        'budget_history_too_thin',
        {
          candidates: thin
            .map((t) => `${t.candidate} (${t.segment} × ${t.channel}: ${t.contacts})`)
            .join(', '),
          minimum: this.config.minHistorySample,
        },
        undefined,
        { thinCandidates: thin },
      );
    return { candidates, sources };
  }

  /** A candidate gives all three rates or none (then all come from history), never some. */
  private checkRatesGiven(candidates: AskedCandidate[]): void {
    const errors: FieldError[] = [];
    candidates.forEach((c, i) => {
      const given = RATES.filter((r) => c[r] !== undefined);
      if (given.length && given.length < RATES.length)
        for (const r of RATES.filter((x) => c[x] === undefined))
          errors.push({
            field: `candidates[${i}].${r}`,
            rule: 'isDefined',
            message: 'give all three rates, or none to measure them from campaign history',
          });
    });
    if (errors.length) throw AppError.validation(errors);
  }

  /** Deletion filter: drop each constraint whose removal keeps the rest infeasible. */
  private conflict(highs: Highs, model: ReturnType<typeof planModel>): string[] {
    const kept = new Set(model.constraints.map((c) => c.row));
    for (const c of model.constraints) {
      kept.delete(c.row);
      if (highs.solve(lpText(model, kept)).Status !== 'Infeasible') kept.add(c.row);
    }
    return model.constraints.filter((c) => kept.has(c.row)).map((c) => c.name);
  }

  /** Candidates must name declared segments and channels, each pair once. */
  private check(p: PlanProblem): void {
    const errors: FieldError[] = [];
    const segments = new Set(p.segments.map((s) => s.key));
    const channels = new Set(p.channels.map((c) => c.key));
    const dup = (list: string[], field: string) =>
      list.forEach((k, i) => {
        if (list.indexOf(k) !== i)
          errors.push({
            field: `${field}[${i}].key`,
            rule: 'unique',
            message: `${k} is named twice`,
          });
      });
    dup(
      p.segments.map((s) => s.key),
      'segments',
    );
    dup(
      p.channels.map((c) => c.key),
      'channels',
    );
    const pairs = new Set<string>();
    p.candidates.forEach((c, i) => {
      if (!segments.has(c.segment))
        errors.push({
          field: `candidates[${i}].segment`,
          rule: 'isIn',
          message: `${c.segment} is not one of the segments`,
        });
      if (!channels.has(c.channel))
        errors.push({
          field: `candidates[${i}].channel`,
          rule: 'isIn',
          message: `${c.channel} is not one of the channels`,
        });
      const key = `${c.segment}\u0000${c.channel}`;
      if (pairs.has(key))
        errors.push({
          field: `candidates[${i}]`,
          rule: 'unique',
          message: 'this segment and channel are a candidate already',
        });
      pairs.add(key);
      if (new Money(c.responseRate).gt(1))
        errors.push({
          field: `candidates[${i}].responseRate`,
          rule: 'max',
          message: 'a rate is at most 1',
        });
    });
    if (errors.length) throw AppError.validation(errors);
  }
}

function decimal(v: MoneyValue): string {
  return new Money(v).toDecimalPlaces(10).toFixed();
}
