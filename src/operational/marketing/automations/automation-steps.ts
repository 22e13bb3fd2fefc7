import { AppError } from '#platform/http/index.js';
import { STEP_TYPES, type StepType } from './automation.definition.js';

export const EVENT_OPERATORS = ['eq', 'ne', 'in', 'contains', 'exists', 'notExists'] as const;
export type EventOperator = (typeof EVENT_OPERATORS)[number];

export interface EventCondition {
  /** Dotted path into the event's data, e.g. `record.source`. */
  field: string;
  op: EventOperator;
  value?: unknown;
}

export interface Condition {
  event?: EventCondition[];
  /** A segment rule tree the contact must match. */
  contact?: Record<string, unknown>;
}

export interface Step {
  id: string;
  type: StepType;
  /** The step after this one; default the next in the list, null: the end. */
  next?: string | null;
  templateId?: string;
  campaignId?: string;
  userId?: string;
  field?: string;
  value?: unknown;
  seconds?: number;
  minutes?: number;
  hours?: number;
  days?: number;
  if?: Condition;
  then?: string | null;
  else?: string | null;
  /** create_task: the task's subject, merge fields allowed. */
  subject?: string;
  description?: string;
  dueInDays?: number;
  priority?: TaskPriority;
  /** webhook: where the payload is POSTed. */
  url?: string;
}

export const TASK_PRIORITIES = ['low', 'normal', 'high'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

const STEP_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+){0,5}$/;
const MAX_WAIT_SECONDS = 365 * 86_400;
const WAIT_UNITS = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 } as const;
const FIELDS: Record<StepType, readonly string[]> = {
  send_template: ['templateId'],
  add_to_campaign: ['campaignId'],
  update_field: ['field', 'value'],
  assign_owner: ['userId'],
  wait: Object.keys(WAIT_UNITS),
  branch: ['if', 'then', 'else'],
  create_task: ['subject', 'description', 'dueInDays', 'userId', 'priority'],
  webhook: ['url'],
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function invalid(pointer: string, message: string): AppError {
  return new AppError(
    'automation_invalid',
    { pointer, message },
    [{ field: pointer, rule: 'automation', message }],
    { pointer },
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a condition's shape; the contact rule is checked by the segment rules later. */
export function checkCondition(raw: unknown, at: string): Condition {
  if (!isObject(raw)) throw invalid(at, 'must be an object with event and/or contact');
  for (const k of Object.keys(raw))
    if (k !== 'event' && k !== 'contact') throw invalid(`${at}/${k}`, 'is not a condition part');
  if (raw.event !== undefined) {
    if (!Array.isArray(raw.event) || raw.event.length > 20)
      throw invalid(`${at}/event`, 'must be a list of up to 20 conditions');
    raw.event.forEach((c: unknown, i) => {
      const p = `${at}/event/${i}`;
      if (!isObject(c)) throw invalid(p, 'must be {field, op, value}');
      for (const k of Object.keys(c))
        if (!['field', 'op', 'value'].includes(k)) throw invalid(`${p}/${k}`, 'is not allowed');
      if (typeof c.field !== 'string' || !PATH.test(c.field))
        throw invalid(`${p}/field`, 'must be a dotted path into the event data');
      if (!(EVENT_OPERATORS as readonly string[]).includes(c.op as string))
        throw invalid(`${p}/op`, `must be one of ${EVENT_OPERATORS.join(', ')}`);
      if (c.op === 'in' && !Array.isArray(c.value)) throw invalid(`${p}/value`, 'must be a list');
      if (JSON.stringify(c.value ?? null).length > 2000) throw invalid(`${p}/value`, 'is too long');
    });
  }
  if (raw.contact !== undefined && !isObject(raw.contact))
    throw invalid(`${at}/contact`, 'must be a segment rule tree');
  return raw;
}

/** The steps' shapes, their ids and where each leads; a loop among them is refused. */
export function checkSteps(raw: unknown): Step[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 50)
    throw invalid('/steps', 'must list 1 to 50 steps');
  const ids = new Set<string>();
  const steps = raw.map((s: unknown, i): Step => {
    const at = `/steps/${i}`;
    if (!isObject(s)) throw invalid(at, 'must be an object');
    if (typeof s.id !== 'string' || !STEP_ID.test(s.id))
      throw invalid(`${at}/id`, 'must be lower-case letters, digits, _ or - (up to 40)');
    if (ids.has(s.id)) throw invalid(`${at}/id`, `${s.id} is used twice`);
    ids.add(s.id);
    if (!(STEP_TYPES as readonly string[]).includes(s.type as string))
      throw invalid(`${at}/type`, `must be one of ${STEP_TYPES.join(', ')}`);
    const type = s.type as StepType;
    for (const k of Object.keys(s))
      if (!['id', 'type', 'next', ...FIELDS[type]].includes(k))
        throw invalid(`${at}/${k}`, `is not a field of a ${type} step`);
    checkStepFields(s, type, at);
    return s as unknown as Step;
  });
  steps.forEach((s, i) => {
    for (const [k, target] of [
      ['next', s.next],
      ['then', s.then],
      ['else', s.else],
    ] as const)
      if (typeof target === 'string' && !ids.has(target))
        throw invalid(`/steps/${i}/${k}`, `no step has the id ${target}`);
      else if (target !== undefined && target !== null && typeof target !== 'string')
        throw invalid(`/steps/${i}/${k}`, 'must be a step id or null');
  });
  assertNoCycle(steps);
  return steps;
}

function checkStepFields(s: Record<string, unknown>, type: StepType, at: string): void {
  const uuid = (k: string) => {
    if (typeof s[k] !== 'string' || !UUID.test(s[k])) throw invalid(`${at}/${k}`, 'must be a UUID');
  };
  switch (type) {
    case 'send_template':
      return uuid('templateId');
    case 'add_to_campaign':
      return uuid('campaignId');
    case 'assign_owner':
      return uuid('userId');
    case 'update_field':
      if (typeof s.field !== 'string' || !PATH.test(s.field))
        throw invalid(`${at}/field`, 'must name a contact field');
      if (!('value' in s)) throw invalid(`${at}/value`, 'is required');
      if (JSON.stringify(s.value ?? null).length > 2000)
        throw invalid(`${at}/value`, 'is too long');
      return;
    case 'wait': {
      const units = Object.keys(WAIT_UNITS).filter((u) => u in s);
      if (units.length !== 1)
        throw invalid(at, 'a wait gives exactly one of seconds, minutes, hours, days');
      const n = s[units[0]];
      if (!Number.isInteger(n) || (n as number) < 1)
        throw invalid(`${at}/${units[0]}`, 'must be a whole number of at least 1');
      if ((n as number) * WAIT_UNITS[units[0] as keyof typeof WAIT_UNITS] > MAX_WAIT_SECONDS)
        throw invalid(`${at}/${units[0]}`, 'waits at most 365 days');
      return;
    }
    case 'branch':
      checkCondition(s.if, `${at}/if`);
      if (!('then' in s) || !('else' in s))
        throw invalid(at, 'a branch gives then and else (a step id, or null to end)');
      return;
    case 'create_task':
      return checkTask(s, at, uuid);
    case 'webhook':
      if (typeof s.url !== 'string' || s.url.length > 2000 || !/^https?:\/\/[^\s]+$/i.test(s.url))
        throw invalid(`${at}/url`, 'must be an http or https URL of up to 2000 characters');
      return;
  }
}

function checkTask(s: Record<string, unknown>, at: string, uuid: (k: string) => void): void {
  const text = (k: string, max: number, required: boolean) => {
    if (s[k] === undefined && !required) return;
    if (typeof s[k] !== 'string' || s[k].trim() === '' || s[k].length > max)
      throw invalid(`${at}/${k}`, `must be text of 1 to ${max} characters`);
  };
  text('subject', 200, true);
  text('description', 2000, false);
  if (
    !Number.isInteger(s.dueInDays) ||
    (s.dueInDays as number) < 0 ||
    (s.dueInDays as number) > 365
  )
    throw invalid(`${at}/dueInDays`, 'must be a whole number of days from 0 to 365');
  if (s.userId !== undefined) uuid('userId');
  if (s.priority !== undefined && !(TASK_PRIORITIES as readonly unknown[]).includes(s.priority))
    throw invalid(`${at}/priority`, `must be one of ${TASK_PRIORITIES.join(', ')}`);
}

/** Seconds a wait step waits. */
export function waitSeconds(s: Step): number {
  for (const [unit, factor] of Object.entries(WAIT_UNITS)) {
    const n = s[unit as keyof typeof WAIT_UNITS];
    if (typeof n === 'number') return n * factor;
  }
  return 0;
}

/** The steps a step can lead to (null: the run ends there). */
export function successors(steps: readonly Step[], index: number): (string | null)[] {
  const s = steps[index];
  if (s.type === 'branch') return [s.then ?? null, s.else ?? null];
  if (s.next !== undefined) return [s.next];
  return [steps[index + 1]?.id ?? null];
}

function assertNoCycle(steps: readonly Step[]): void {
  const index = new Map(steps.map((s, i) => [s.id, i]));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'open')
      throw invalid(
        `/steps/${index.get(path[path.length - 1])}`,
        `the steps loop: ${[...path.slice(path.indexOf(id)), id].join(' → ')}`,
      );
    state.set(id, 'open');
    for (const next of successors(steps, index.get(id)!)) if (next) visit(next, [...path, id]);
    state.set(id, 'done');
  };
  for (const s of steps) visit(s.id, []);
}

/** Whether the event conditions hold for an event's data. */
export function eventMatches(conditions: readonly EventCondition[], data: unknown): boolean {
  return conditions.every((c) => {
    const v = c.field
      .split('.')
      .reduce<unknown>((o, k) => (isObject(o) && Object.hasOwn(o, k) ? o[k] : undefined), data);
    switch (c.op) {
      case 'exists':
        return v !== undefined && v !== null;
      case 'notExists':
        return v === undefined || v === null;
      case 'eq':
        return JSON.stringify(v) === JSON.stringify(c.value);
      case 'ne':
        return JSON.stringify(v) !== JSON.stringify(c.value);
      case 'in':
        return (c.value as unknown[]).some((x) => JSON.stringify(x) === JSON.stringify(v));
      case 'contains':
        return Array.isArray(v)
          ? v.some((x) => JSON.stringify(x) === JSON.stringify(c.value))
          : typeof v === 'string' && v.toLowerCase().includes(String(c.value).toLowerCase());
    }
  });
}
