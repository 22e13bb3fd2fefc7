import { Money } from '#platform/currency/index.js';

export interface PlanSegment {
  key: string;
  contacts: number;
  minimumSpend?: string;
}
export interface PlanChannel {
  key: string;
  cap?: string;
}
export interface PlanCandidate {
  segment: string;
  channel: string;
  responseRate: string;
  marginPerResponse: string;
  costPerContact: string;
}
export interface PlanProblem {
  totalBudget: string;
  frequencyCap: number;
  segments: PlanSegment[];
  channels: PlanChannel[];
  candidates: PlanCandidate[];
}

/** One constraint of the model: its LP row and the name the API reports it by. */
export interface PlanConstraint {
  row: string;
  name: string;
  /** `<=` or `>=` and the bound, for telling whether it binds. */
  sense: '<=' | '>=';
  bound: number;
  terms: { variable: string; coefficient: number }[];
}

const num = (v: string | number) => new Money(v).toNumber();

/**
 * The allocation as a linear program: one variable per candidate (contacts reached in a
 * segment through a channel), maximizing Σ (response rate × margin − cost per contact) ×
 * contacts, under the total budget, each channel's spending cap, each segment's minimum
 * spend, and the frequency cap (contacts reached in a segment ≤ cap × its size).
 */
export function planModel(p: PlanProblem): {
  variables: string[];
  objective: number[];
  constraints: PlanConstraint[];
} {
  const variables = p.candidates.map((_, i) => `x${i}`);
  const objective = p.candidates.map(
    (c) => num(c.responseRate) * num(c.marginPerResponse) - num(c.costPerContact),
  );
  const cost = (i: number) => num(p.candidates[i].costPerContact);
  const where = (pred: (c: PlanCandidate) => boolean) =>
    p.candidates.flatMap((c, i) => (pred(c) ? [i] : []));
  const constraints: PlanConstraint[] = [
    {
      row: 'budget',
      name: 'totalBudget',
      sense: '<=',
      bound: num(p.totalBudget),
      terms: p.candidates.map((_, i) => ({ variable: variables[i], coefficient: cost(i) })),
    },
  ];
  p.channels.forEach((ch, j) => {
    if (ch.cap === undefined) return;
    constraints.push({
      row: `cap${j}`,
      name: `channels[${ch.key}].cap`,
      sense: '<=',
      bound: num(ch.cap),
      terms: where((c) => c.channel === ch.key).map((i) => ({
        variable: variables[i],
        coefficient: cost(i),
      })),
    });
  });
  p.segments.forEach((s, j) => {
    const mine = where((c) => c.segment === s.key);
    if (s.minimumSpend !== undefined && num(s.minimumSpend) > 0)
      constraints.push({
        row: `min${j}`,
        name: `segments[${s.key}].minimumSpend`,
        sense: '>=',
        bound: num(s.minimumSpend),
        terms: mine.map((i) => ({ variable: variables[i], coefficient: cost(i) })),
      });
    constraints.push({
      row: `freq${j}`,
      name: `segments[${s.key}].frequencyCap`,
      sense: '<=',
      bound: p.frequencyCap * s.contacts,
      terms: mine.map((i) => ({ variable: variables[i], coefficient: 1 })),
    });
  });
  return { variables, objective, constraints };
}

const term = (coefficient: number, variable: string) =>
  `${coefficient < 0 ? '-' : '+'} ${Math.abs(coefficient)} ${variable}`;

/** The model in CPLEX LP format, keeping only the constraints `keep` names (all by default). */
export function lpText(
  model: ReturnType<typeof planModel>,
  keep: ReadonlySet<string> | null = null,
): string {
  const rows = model.constraints
    .filter((c) => (keep ? keep.has(c.row) : true))
    .map((c) => {
      const lhs = c.terms.length
        ? c.terms.map((t) => term(t.coefficient, t.variable)).join(' ')
        : `0 ${model.variables[0]}`;
      return ` ${c.row}: ${lhs} ${c.sense} ${c.bound}`;
    });
  return [
    'Maximize',
    ` obj: ${model.objective.map((c, i) => term(c, model.variables[i])).join(' ') || '0 x0'}`,
    'Subject To',
    ...rows,
    'Bounds',
    ...model.variables.map((v) => ` ${v} >= 0`),
    'End',
  ].join('\n');
}
