import type { FieldChange, HistoryAction } from '#platform/audit/history.service.js';
import type { RequestContext } from '#platform/context/request-context.js';
import type { NewDomainEvent } from '#platform/events/domain-event.js';
import type { ApiRecord } from './resource-definition.js';

/** One write the lifecycle made: what the record was, what it is now, and its history entry. */
export interface RecordWrite {
  action: HistoryAction;
  /** The record before the write; null for a new one. */
  before: ApiRecord | null;
  after: ApiRecord;
  /** The fields that changed, as the record's history keeps them (empty for a no-op update). */
  changes: FieldChange[];
}

/** What an after-write hook gives back: the record as the caller should see it, and its events. */
export interface AfterWrite {
  /** The record again, when the hook changed it further (a lead's new score). */
  record?: ApiRecord;
  /** Domain events of the module, appended to the outbox in the write's transaction. */
  events?: NewDomainEvent[];
}

/**
 * What a resource adds to the generic record rules, in the order the lifecycle runs them.
 * Every write path runs the same hooks: REST and bulk create/update/delete/restore, merge,
 * and CSV import batches — so a domain service never overrides create or update.
 *
 * Before the write: `shape`, then the generic checks, `validate`, `derive`, `findDuplicate`
 * and `assignOwnership`. After it, in the same transaction: the history entry and the
 * generic `<label>.<verb>` event, then `afterWrite` (or `afterWriteMany` for a batch).
 * After commit: `afterCommit`.
 */
export interface RecordHooks {
  /**
   * Values the server fills in from the request before anything is checked (defaults that
   * depend on other fields, stamps the change itself sets); `existing` is null on create.
   */
  shape?(input: Record<string, unknown>, existing: ApiRecord | null): Record<string, unknown>;
  /** Server-derived columns (search keys) computed from the whole record after the change. */
  derive?(record: Record<string, unknown>): Record<string, unknown>;
  /** Reference and cross-field checks; `changed` names the attributes the request set. */
  validate?(
    ctx: RequestContext,
    record: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void>;
  /** A record this one would duplicate, checked on create. */
  findDuplicate?(
    ctx: RequestContext,
    record: Record<string, unknown>,
    derived: Record<string, unknown>,
  ): Promise<{ id: string; match: string } | null>;
  /**
   * Ownership the server gives a new record (assignment rules), called once every other
   * create rule has passed; `ownerRequested` says whether the request named an owner. The
   * attributes it returns (owner, team, server-owned ones) are stored as they are: the
   * caller's right to create was checked with the ownership the request asked for, and an
   * owner chosen by the admin's rules is not a reassignment by the caller.
   */
  assignOwnership?(
    ctx: RequestContext,
    record: Record<string, unknown>,
    ownerRequested: boolean,
  ): Promise<Record<string, unknown>>;
  /** On merge: values combined from the survivor and its duplicates (unions of lists). */
  combine?(survivor: ApiRecord, duplicates: ApiRecord[]): Record<string, unknown>;
  /**
   * Reacts to a write inside its transaction (scores, stage history, timeline entries,
   * reminders): a failure here undoes the write. Runs for every accepted update, also one
   * that changed nothing, so what it keeps stays in step with the record.
   */
  afterWrite?(tx: RequestContext, write: RecordWrite): Promise<AfterWrite | void>;
  /**
   * The batch form of `afterWrite` for writers of many records at once (CSV import); without
   * it they call `afterWrite` for each record. Returns what `afterWrite` would, per write.
   */
  afterWriteMany?(tx: RequestContext, writes: RecordWrite[]): Promise<AfterWrite[]>;
  /**
   * Runs once the write's transaction committed — for what must not roll back with it nor
   * happen for a write that did not last. Its failure is logged; the write stands.
   */
  afterCommit?(ctx: RequestContext, write: RecordWrite): Promise<void>;
}
