import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { PrincipalLoader } from '#platform/auth/principal-loader.js';
import { CRM_CONFIG, ENV } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import type { Env } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { AppError } from '#platform/http/app-error.js';
import { validateDtoFast } from '#platform/http/compiled-dto-check.js';
import type { Job } from '#platform/jobs/job.types.js';
import { JobsService } from '#platform/jobs/jobs.service.js';
import { historyColumns } from '#platform/records/record-history.js';
import { RecordLifecycle } from '#platform/records/record-lifecycle.js';
import { RecordService } from '#platform/records/record.service.js';
import { DuplicateMatcher, EXTERNAL_ID, type Match } from './import-duplicates.js';
import { ImportInserts, type ImportInsert } from './import-inserts.js';
import { resolveMapping, rowToInput, type ColumnMapping } from './import-mapping.js';
import { rowErrors } from './import-row-errors.js';
import { ImportStore, type ImportState, type RowError, type StagedRow } from './import-store.js';
import { ImportableResources, type ImportableResource } from './importable-resources.js';
import { StoredForm } from './stored-form.js';
import { TableUpkeep } from './table-upkeep.js';

export const IMPORT_QUEUE = 'imports.run';

/** Rows validated between two turns of the event loop. */
const YIELD_EVERY = 50;

export interface ImportJobPayload {
  importId: string;
}

interface Planned {
  row: StagedRow;
  input: Record<string, unknown>;
  columns: Record<string, unknown>;
  /** What identifies the row as a record (duplicate modes only). */
  keys: string[];
  /** The columns POST's rules gave the row while it was loaded, or why they refused it. */
  prepared?: { columns: Record<string, unknown> } | { error: unknown };
}

/** A batch read and validated: the rows it took, those to write, and the failures so far. */
interface Loaded {
  start: number;
  rows: StagedRow[];
  planned: Planned[];
  errors: RowError[];
  failed: Set<number>;
  /** What identifies the planned rows as records (duplicate modes only). */
  keys: Set<string>;
  /** The planned rows' matches among committed records, found while loading. */
  matches?: (Match | null)[];
}

/** What every batch of one run of an import works with. */
interface ImportRun {
  /** The importing user's context: batches are checked and written with their rights. */
  ctx: RequestContext;
  state: ImportState;
  resource: ImportableResource;
  columns: ColumnMapping[];
  matcher: DuplicateMatcher;
  stored: StoredForm;
}

interface BatchResult {
  created: number;
  updated: number;
  skipped: number;
  /** The import was cancelled or another run wrote this batch: this run stops. */
  stopped: boolean;
}

/**
 * Runs imports: the job of each works through its staged rows in batches. A batch is read,
 * turned into API bodies by the mapping, validated with the resource's own DTO (the rules of
 * POST and PATCH), matched against existing records, checked by RecordService's create rules
 * (permissions, custom fields, ownership, hooks), and then written in one transaction with
 * what the record lifecycle gives each record (history, after-write hooks), one
 * `<label>.imported` event listing the new records, the rows' errors, the counters and
 * `next_row`. A bad row becomes errors and never stops the others.
 * The transaction locks the import row and checks `next_row`, so a batch is written once even
 * if a stalled worker and its replacement both got to it, and a crash between batches loses
 * nothing: the next run starts at `next_row`.
 */
@Injectable()
export class ImportRunner implements OnModuleInit {
  private readonly logger = new Logger('Imports');

  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    private readonly records: RecordService,
    private readonly lifecycle: RecordLifecycle,
    private readonly imports: ImportStore,
    private readonly inserts: ImportInserts,
    private readonly principals: PrincipalLoader,
    private readonly resources: ImportableResources,
    @Inject(ENV) private readonly env: Env,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work<ImportJobPayload>(IMPORT_QUEUE, (job) => this.run(job), {
      concurrency: this.env.importConcurrency,
    });
  }

  async run(job: Job<ImportJobPayload>): Promise<void> {
    const { importId } = job.payload;
    const system = RequestContext.system();
    try {
      const state = await this.imports.start(importId);
      if (!state) return; // cancelled, finished, or gone
      const resource = this.resources.get(state.entity);
      if (!resource)
        return this.imports.fail(importId, `${state.entity} is no longer a record type`);
      const principal = await this.principals.load(state.owner_id);
      if (!principal)
        return this.imports.fail(importId, 'the user who started the import can no longer sign in');
      const ctx = new RequestContext(`import:${importId}`, 'en', principal, '127.0.0.1', 'import');
      const { columns } = resolveMapping(resource.def, state.columns, state.mapping);
      const matcher = new DuplicateMatcher(
        this.db,
        resource.def,
        resource.service.recordHooks,
        columns.some((c) => c.field === `customFields.${EXTERNAL_ID}`),
      );
      const upkeep = new TableUpkeep(
        this.db,
        resource.def.table,
        [
          ...new Set([
            ...(resource.def.discriminator ? [resource.def.discriminator.column] : []),
            ...(resource.def.importMatch ?? []).flatMap((r) => r.columns),
            ...(matcher.usesExternalId ? ['custom_fields'] : []),
          ]),
        ],
        this.logger,
      );
      const run: ImportRun = {
        ctx,
        state,
        resource,
        columns,
        matcher,
        stored: await StoredForm.of(
          this.db,
          system,
          resource.def.table,
          historyColumns(resource.def),
        ),
      };
      const load = (start: number) => this.load(run, start);
      let loading = load(state.next_row);
      let written: ReadonlySet<string> = new Set();
      for (;;) {
        const loaded = await loading;
        if (loaded.rows.length === 0) break;
        if (job.signal.aborted) throw new Error('the process is stopping; the import resumes');
        const next = loaded.rows[loaded.rows.length - 1].row_number + 1;
        // The next batch is read and validated while this one's transaction waits on the
        // database; a failed read ahead is simply read again by the next run.
        let ahead: Promise<Loaded> | null = null;
        const readAhead = (): Promise<Loaded> => {
          if (!ahead) {
            ahead = load(next);
            ahead.catch(() => undefined);
          }
          return ahead;
        };
        const result = await this.write(run, loaded, written, () => {
          void readAhead();
        });
        if (result.stopped) return;
        written = loaded.keys;
        loading = readAhead();
        await upkeep.afterBatch(result.created + result.updated);
      }
      await this.imports.complete(importId);
    } catch (err) {
      // The last attempt: the import says it failed instead of staying "running".
      if (!job.signal.aborted && job.attempt > job.retryLimit)
        await this.imports.fail(importId, (err as Error).message);
      throw err;
    }
  }

  /**
   * Reads the staged rows from `start` and turns them into validated API bodies. Runs while
   * the previous batch is being written (it touches neither records nor the import), so
   * the server validates one batch while the database writes the other.
   */
  private async load(run: ImportRun, start: number): Promise<Loaded> {
    const { state, resource, columns, matcher } = run;
    const staged = await this.imports.staged(state.id, start, this.env.importBatchSize);
    const loaded: Loaded = {
      start,
      rows: [],
      planned: [],
      errors: [],
      failed: new Set(),
      keys: new Set(),
    };
    const mode = state.duplicates;
    const seen = loaded.keys;
    for (const [i, row] of staged.entries()) {
      // Let the batch being written meanwhile go on with its statements.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((r) => setImmediate(r));
      const fail = (err: unknown) => {
        loaded.failed.add(row.row_number);
        loaded.errors.push(...this.rowErrors(row, err, columns));
      };
      if (row.cells.length !== state.columns.length) {
        loaded.rows.push(row);
        fail(
          AppError.field(
            '(row)',
            'columnCount',
            `has ${row.cells.length} values where the header has ${state.columns.length} columns`,
            { count: row.cells.length, expected: state.columns.length },
          ),
        );
        continue;
      }
      const { input, errors } = rowToInput(
        columns,
        row.cells,
        this.config.organization.defaultCurrency,
      );
      let body: Record<string, unknown>;
      try {
        if (errors.length) throw AppError.validation(errors);
        body = await validateDtoFast(
          mode === 'update' ? resource.updateDto : resource.createDto,
          input,
        );
      } catch (err) {
        loaded.rows.push(row);
        fail(err);
        continue;
      }
      const keyColumns = mode === 'create' ? {} : matcher.columnsOf(body);
      const keys = mode === 'create' ? [] : matcher.keysOf({ input: body, columns: keyColumns });
      // A row that is the same record as an earlier row of this batch waits for the next
      // batch, when the earlier one is written and can be matched.
      if (keys.some((k) => seen.has(k))) break;
      for (const k of keys) seen.add(k);
      loaded.rows.push(row);
      loaded.planned.push({ row, input: body, columns: keyColumns, keys });
    }
    // Not for updates: a row of the batch being written may change what an earlier record
    // is matched by, without sharing a key with the row that would have matched it.
    if (mode === 'skip' && matcher.matchesByKeys) {
      loaded.matches = await matcher.find(
        run.ctx,
        loaded.planned.map((p) => ({ input: p.input, columns: p.columns })),
      );
    }
    if (this.preparesEarly(run)) {
      for (const [i, p] of loaded.planned.entries()) {
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((r) => setImmediate(r));
        p.prepared = await this.prepare(run, p.input).then(
          (columns) => ({ columns }),
          (error: unknown) => ({ error }),
        );
      }
    }
    return loaded;
  }

  /**
   * Whether a batch's rows can pass POST's rules while the batch before is still being
   * written, so the database is not kept waiting for them. Not for updates (a row is only a
   * new record once it matched none), nor when the resource's ownership hook draws a number
   * or takes a turn: a row that turns out to be skipped must not have used one.
   */
  private preparesEarly(run: ImportRun): boolean {
    return run.state.duplicates !== 'update' && !run.resource.service.recordHooks.assignOwnership;
  }

  private prepare(
    run: ImportRun,
    input: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const { ctx, resource } = run;
    return this.records.prepareCreate(ctx, resource.def, input, resource.service.recordHooks, {
      allowDuplicate: true,
    });
  }

  /**
   * Which planned rows are records already. Matches found while loading stand, except for
   * rows sharing a key with the batch written meanwhile (`previous`): only they are matched
   * again, now that it is committed.
   */
  private async matches(
    run: ImportRun,
    loaded: Loaded,
    previous: ReadonlySet<string>,
  ): Promise<(Match | null)[]> {
    const { ctx, state, matcher } = run;
    const { planned } = loaded;
    if (state.duplicates === 'create') return planned.map(() => null);
    const early = loaded.matches;
    const again = early
      ? planned.flatMap((p, i) => (p.keys.some((k) => previous.has(k)) ? [i] : []))
      : planned.map((_, i) => i);
    const found = again.length
      ? await matcher.find(
          ctx,
          again.map((i) => ({ input: planned[i].input, columns: planned[i].columns })),
        )
      : [];
    const matches = early ? [...early] : planned.map(() => null);
    again.forEach((i, j) => (matches[i] = found[j]));
    return matches;
  }

  /** Matches, checks and writes one loaded batch: one transaction, or nothing if the import moved on. */
  private async write(
    run: ImportRun,
    loaded: Loaded,
    previous: ReadonlySet<string>,
    writing: () => void,
  ): Promise<BatchResult> {
    const { ctx, state, resource, columns } = run;
    const { start, rows, planned, errors, failed } = loaded;
    const result: BatchResult = { created: 0, updated: 0, skipped: 0, stopped: false };
    const fail = (row: StagedRow, err: unknown) => {
      failed.add(row.row_number);
      errors.push(...this.rowErrors(row, err, columns));
    };
    const mode = state.duplicates;

    // Which rows are records already (the batch before this one is committed by now).
    const matches = await this.matches(run, loaded, previous);

    // What to do with each row; new records pass RecordService's create rules now.
    const inserts: ImportInsert<StagedRow>[] = [];
    const updates: { planned: Planned; match: Match }[] = [];
    for (const [i, p] of planned.entries()) {
      const match = matches[i];
      if (match && mode === 'skip') {
        result.skipped++;
        continue;
      }
      if (match) {
        updates.push({ planned: p, match });
        continue;
      }
      try {
        if (p.prepared && 'error' in p.prepared) throw p.prepared.error;
        // An update's row is validated as a partial body so far; a new record needs what POST requires.
        const cols =
          p.prepared?.columns ??
          (await this.prepare(
            run,
            mode === 'update' ? await validateDtoFast(resource.createDto, p.input) : p.input,
          ));
        inserts.push({ row: p.row, columns: cols });
      } catch (err) {
        fail(p.row, err);
      }
    }

    const last = rows[rows.length - 1].row_number;
    writing();
    const written = await this.db.transaction(ctx, async (tx) => {
      if (!(await this.imports.claimBatch(tx, state.id, start))) return false;
      const target = { def: resource.def, hooks: resource.service.recordHooks, stored: run.stored };
      const createdIds = await this.inserts.insert(tx, target, inserts, fail);
      for (const { planned: p, match } of updates) {
        await this.imports.savepoint(
          tx,
          async () => {
            await resource.service.update(tx, match.id, p.input);
            result.updated++;
          },
          (err) => {
            const code = err instanceof AppError ? err.code : '';
            fail(
              p.row,
              code === 'not_found' || code === 'forbidden'
                ? AppError.field(
                    '(row)',
                    'duplicateNotWritable',
                    `matches an existing record (by ${match.match}) that you may not update`,
                    { match: match.match },
                  )
                : err,
            );
          },
        );
      }
      result.created += createdIds.length;
      await this.lifecycle.imported(tx, resource.def, state.id, createdIds);
      await this.imports.finishBatch(
        tx,
        state.id,
        { start, last, errors, failed: [...failed] },
        { ...result, processed: rows.length, failed: failed.size },
      );
      return true;
    });
    return { ...result, stopped: !written };
  }

  private rowErrors(row: StagedRow, err: unknown, columns: ColumnMapping[]): RowError[] {
    return rowErrors(row, err, columns, this.env.bodyLimitBytes, this.logger);
  }
}
