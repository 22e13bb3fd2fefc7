import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { PrincipalLoader } from '#platform/auth/principal-loader.js';
import { CRM_CONFIG, ENV } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import type { Env } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { uuidv7 } from '#platform/database/uuid7.js';
import { EventOutbox } from '#platform/events/event-outbox.service.js';
import { AppError } from '#platform/http/app-error.js';
import { validateDtoFast } from '#platform/http/compiled-dto-check.js';
import { problemText } from '#platform/http/problem-catalog.js';
import { toAppError } from '#platform/http/problem-renderer.js';
import type { Job } from '#platform/jobs/job.types.js';
import { JobsService } from '#platform/jobs/jobs.service.js';
import { HistoryService } from '#platform/audit/history.service.js';
import { createdChanges, historyColumns } from '#platform/records/record-history.js';
import { RecordService } from '#platform/records/record.service.js';
import { RecordLifecycle } from '#platform/records/record-lifecycle.js';
import { recordSelect, rowToRecord } from '#platform/records/resource-definition.js';
import { DuplicateMatcher, EXTERNAL_ID, type Match } from './import-duplicates.js';
import {
  columnOf,
  resolveMapping,
  rowToInput,
  type ColumnMapping,
  type RawMapping,
} from './import-mapping.js';
import { releaseStagedRows } from './import-retention.js';
import { ImportableResources, type ImportableResource } from './importable-resources.js';
import { StoredForm } from './stored-form.js';
import { TableUpkeep } from './table-upkeep.js';

export const IMPORT_QUEUE = 'imports.run';

const MAX_VALUE_CHARS = 200;
/** Rows validated between two turns of the event loop. */
const YIELD_EVERY = 50;

export interface ImportJobPayload {
  importId: string;
}

interface ImportState {
  id: string;
  entity: string;
  status: string;
  duplicates: 'skip' | 'update' | 'create';
  mapping: RawMapping | null;
  columns: string[];
  next_row: number;
  owner_id: string;
}

interface StagedRow {
  row_number: number;
  line: number;
  cells: string[];
}

/** One problem of one row, as stored in import_errors. */
export interface RowError {
  row: number;
  line: number;
  column: string | null;
  field: string | null;
  code: string;
  message: string;
  params: Record<string, unknown> | null;
  value: string | null;
}

interface Planned {
  row: StagedRow;
  input: Record<string, unknown>;
  columns: Record<string, unknown>;
}

/** A batch read and validated: the rows it took, those to write, and the failures so far. */
interface Loaded {
  start: number;
  rows: StagedRow[];
  planned: Planned[];
  errors: RowError[];
  failed: Set<number>;
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
 * the records' history, one `<label>.imported` event listing the new records, the rows'
 * errors, the counters and `next_row`. A bad row becomes errors and never stops the others.
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
    private readonly history: HistoryService,
    private readonly outbox: EventOutbox,
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
      const [state] = await this.db.query<ImportState>(
        system,
        `UPDATE imports SET status = 'running', started_at = coalesce(started_at, now()), updated_at = now()
          WHERE id = $1 AND status IN ('queued', 'running')
          RETURNING id, entity, status, duplicates, mapping, columns, next_row, owner_id`,
        [importId],
      );
      if (!state) return; // cancelled, finished, or gone
      const resource = this.resources.get(state.entity);
      if (!resource) return this.fail(importId, `${state.entity} is no longer a record type`);
      const principal = await this.principals.load(state.owner_id);
      if (!principal)
        return this.fail(importId, 'the user who started the import can no longer sign in');
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
        const result = await this.write(run, loaded, () => {
          void readAhead();
        });
        if (result.stopped) return;
        loading = readAhead();
        await upkeep.afterBatch(result.created + result.updated);
      }
      await this.db.query(
        system,
        `UPDATE imports SET status = 'completed', finished_at = now(), updated_at = now()
          WHERE id = $1 AND status = 'running'`,
        [importId],
      );
    } catch (err) {
      // The last attempt: the import says it failed instead of staying "running".
      if (!job.signal.aborted && job.attempt > job.retryLimit)
        await this.fail(importId, (err as Error).message);
      throw err;
    }
  }

  /** Ends an import that cannot go on; the rows it did not get to are not needed any more. */
  private async fail(importId: string, reason: string): Promise<void> {
    await this.db.transaction(RequestContext.system(), async (tx) => {
      const failed = await this.db.query(
        tx,
        `UPDATE imports SET status = 'failed', error = $2, finished_at = now(), updated_at = now()
          WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
        [importId, reason.slice(0, 2000)],
      );
      if (failed.length) await releaseStagedRows(this.db, tx, importId);
    });
  }

  /**
   * Reads the staged rows from `start` and turns them into validated API bodies. Runs while
   * the previous batch is being written (it touches neither records nor the import), so
   * the server validates one batch while the database writes the other.
   */
  private async load(run: ImportRun, start: number): Promise<Loaded> {
    const { state, resource, columns, matcher } = run;
    const staged = await this.db.query<StagedRow>(
      RequestContext.system(),
      `SELECT row_number, line, cells FROM import_rows
        WHERE import_id = $1 AND row_number >= $2 ORDER BY row_number LIMIT $3`,
      [state.id, start, this.env.importBatchSize],
    );
    const loaded: Loaded = { start, rows: [], planned: [], errors: [], failed: new Set() };
    const mode = state.duplicates;
    const seen = new Set<string>();
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
      if (mode !== 'create') {
        // A row that is the same record as an earlier row of this batch waits for the next
        // batch, when the earlier one is written and can be matched.
        const keys = matcher.keysOf({ input: body, columns: keyColumns });
        if (keys.some((k) => seen.has(k))) break;
        for (const k of keys) seen.add(k);
      }
      loaded.rows.push(row);
      loaded.planned.push({ row, input: body, columns: keyColumns });
    }
    return loaded;
  }

  /** Matches, checks and writes one loaded batch: one transaction, or nothing if the import moved on. */
  private async write(run: ImportRun, loaded: Loaded, writing: () => void): Promise<BatchResult> {
    const { ctx, state, resource, columns, matcher } = run;
    const { start, rows, planned, errors, failed } = loaded;
    const result: BatchResult = { created: 0, updated: 0, skipped: 0, stopped: false };
    const fail = (row: StagedRow, err: unknown) => {
      failed.add(row.row_number);
      errors.push(...this.rowErrors(row, err, columns));
    };
    const mode = state.duplicates;

    // Which rows are records already (the batch before this one is committed by now).
    const matches: (Match | null)[] =
      mode === 'create'
        ? planned.map(() => null)
        : await matcher.find(
            ctx,
            planned.map((p) => ({ input: p.input, columns: p.columns })),
          );

    // What to do with each row; new records pass RecordService's create rules now.
    const inserts: { row: StagedRow; columns: Record<string, unknown> }[] = [];
    const creates: Planned[] = [];
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
      let input = p.input;
      try {
        // Validated as a partial body so far; a new record needs what POST requires.
        if (mode === 'update') input = await validateDtoFast(resource.createDto, p.input);
        if (!resource.bulk) {
          creates.push({ ...p, input });
          continue;
        }
        const cols = await this.records.prepareCreate(
          ctx,
          resource.def,
          input,
          resource.service.recordHooks,
          { allowDuplicate: true },
        );
        inserts.push({ row: p.row, columns: cols });
      } catch (err) {
        fail(p.row, err);
      }
    }

    const last = rows[rows.length - 1].row_number;
    writing();
    const written = await this.db.transaction(ctx, async (tx) => {
      const [current] = await this.db.query<{ status: string; next_row: number }>(
        tx,
        `SELECT status, next_row FROM imports WHERE id = $1 FOR UPDATE`,
        [state.id],
      );
      if (!current || current.status !== 'running' || current.next_row !== start) return false;
      const createdIds = await this.insert(tx, run, inserts, fail);
      for (const c of creates) {
        await this.savepoint(
          tx,
          async () => {
            await resource.service.create(tx, c.input, { allowDuplicate: true });
            result.created++;
          },
          (err) => fail(c.row, err),
        );
      }
      for (const { planned: p, match } of updates) {
        await this.savepoint(
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
      if (createdIds.length) {
        await this.outbox.append(tx, [
          {
            type: `${resource.def.label}.imported`,
            entity: resource.def.entity,
            recordId: null,
            data: { importId: state.id, created: createdIds },
          },
        ]);
      }
      await this.saveErrors(tx, state.id, errors);
      await this.db.query(
        tx,
        `UPDATE imports SET next_row = $2, processed = processed + $3, created = created + $4,
                updated = updated + $5, skipped = skipped + $6, failed = failed + $7, updated_at = now()
          WHERE id = $1`,
        [
          state.id,
          last + 1,
          rows.length,
          result.created,
          result.updated,
          result.skipped,
          failed.size,
        ],
      );
      // Failed rows stay staged: the errors CSV gives them back as they were.
      await this.db.query(
        tx,
        `DELETE FROM import_rows WHERE import_id = $1 AND row_number BETWEEN $2 AND $3
            AND NOT (row_number = ANY($4::int[]))`,
        [state.id, start, last, [...failed]],
      );
      return true;
    });
    return { ...result, stopped: !written };
  }

  /**
   * Writes new records in bulk — COPY, one per set of columns — and their history. A COPY
   * that fails (a value only the database refuses, such as a unique custom field repeated
   * within the batch) is redone row by row, so the bad row fails alone. Returns the ids.
   */
  private async insert(
    tx: RequestContext,
    run: ImportRun,
    rows: { row: StagedRow; columns: Record<string, unknown> }[],
    fail: (row: StagedRow, err: unknown) => void,
  ): Promise<string[]> {
    const { resource, stored } = run;
    const def = resource.def;
    const groups = new Map<string, typeof rows>();
    for (const r of rows) {
      const key = Object.keys(r.columns).join(',');
      const group = groups.get(key);
      if (group) group.push(r);
      else groups.set(key, [r]);
    }
    const ids: string[] = [];
    const write = async (names: string[], chunk: typeof rows) => {
      await this.db.copyRows(
        tx,
        def.table,
        names,
        chunk.map((r) => names.map((n) => r.columns[n])),
      );
      // Their history records them as stored (defaults included): told from what was
      // written where the columns store it as given, read back otherwise.
      const told = chunk.map((r) => stored.row(r.columns));
      const unknown = chunk.filter((_, i) => !told[i]).map((r) => r.columns.id);
      const readBack = unknown.length
        ? await this.db.query(
            tx,
            `SELECT ${historyColumns(def).join(', ')} FROM ${def.table} WHERE id = ANY($1::uuid[])`,
            [unknown],
          )
        : [];
      const records = [...told.filter((row) => row !== null), ...readBack].map((row) =>
        rowToRecord(def, row),
      );
      await this.history.recordMany(
        tx,
        def.entity,
        'create',
        records.map((r) => ({ recordId: r.id, changes: createdChanges(def, r) })),
      );
      const chunkIds = chunk.map((r) => r.columns.id as string);
      // The hooks' work belongs to the chunk: if they fail, the chunk is redone row by row.
      await this.written(tx, run, chunkIds);
      ids.push(...chunkIds);
    };
    for (const [key, group] of groups) {
      const names = key.split(',');
      await this.savepoint(
        tx,
        () => write(names, group),
        async () => {
          for (const r of group)
            await this.savepoint(
              tx,
              () => write(names, [r]),
              (err) => fail(r.row, err),
            );
        },
      );
    }
    return ids;
  }

  /**
   * The resource's after-write hooks for records the batch created, in its transaction, as
   * POST runs them for one (a lead scored); only resources that react read them back.
   */
  private async written(tx: RequestContext, run: ImportRun, ids: string[]): Promise<void> {
    const def = run.resource.def;
    const hooks = run.resource.service.recordHooks;
    if (!this.lifecycle.reactsToWrites(hooks)) return;
    const rows = await this.db.query(
      tx,
      `SELECT ${recordSelect(def)} FROM ${def.table} ${def.alias} WHERE ${def.alias}.id = ANY($1::uuid[]) ORDER BY ${def.alias}.id`,
      [ids],
    );
    await this.lifecycle.writtenMany(
      tx,
      hooks,
      rows.map((row) => {
        const after = rowToRecord(def, row);
        return {
          action: 'create' as const,
          before: null,
          after,
          changes: createdChanges(def, after),
        };
      }),
    );
  }

  /** Runs `work` so that its failure undoes only its own statements, then calls `failed`. */
  private async savepoint(
    tx: RequestContext,
    work: () => Promise<void>,
    failed: (err: unknown) => void | Promise<void>,
  ): Promise<void> {
    await this.db.query(tx, `SAVEPOINT import_step`);
    try {
      await work();
      await this.db.query(tx, `RELEASE SAVEPOINT import_step`);
    } catch (err) {
      await this.db.query(tx, `ROLLBACK TO SAVEPOINT import_step`);
      await failed(err);
    }
  }

  private async saveErrors(tx: RequestContext, importId: string, errors: RowError[]) {
    if (errors.length === 0) return;
    await this.db.query(
      tx,
      `INSERT INTO import_errors (id, import_id, row_number, line, column_name, field, code, message, params, value)
       SELECT id, $1, row_number, line, column_name, field, code, message, params::jsonb, value
         FROM unnest($2::uuid[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
           AS e(id, row_number, line, column_name, field, code, message, params, value)`,
      [
        importId,
        errors.map(() => uuidv7()),
        errors.map((e) => e.row),
        errors.map((e) => e.line),
        errors.map((e) => e.column),
        errors.map((e) => e.field),
        errors.map((e) => e.code),
        errors.map((e) => e.message),
        errors.map((e) => (e.params ? JSON.stringify(e.params) : null)),
        errors.map((e) => e.value),
      ],
    );
  }

  /** A row's failure as errors naming the column, field, rule and value. */
  private rowErrors(row: StagedRow, err: unknown, columns: ColumnMapping[]): RowError[] {
    const { error, unexpected } = toAppError(err, this.env.bodyLimitBytes);
    if (unexpected) this.logger.error(`import row ${row.row_number} failed unexpectedly`, err);
    const at = (field: string | null) => {
      const column = field ? columnOf(columns, field) : null;
      const raw = column ? row.cells[column.index] : undefined;
      return {
        column: column?.column ?? null,
        value: raw === undefined ? null : raw.slice(0, MAX_VALUE_CHARS),
      };
    };
    if (error.errors?.length) {
      return error.errors.map((e) => {
        const field = e.field === '(row)' ? null : e.field;
        return {
          row: row.row_number,
          line: row.line,
          field,
          code: e.rule,
          message: e.message,
          params: e.params ?? null,
          ...at(field),
        };
      });
    }
    const field =
      typeof error.params.field === 'string'
        ? error.params.field
        : error.code === 'reassign_forbidden'
          ? 'ownerId'
          : null;
    return [
      {
        row: row.row_number,
        line: row.line,
        field,
        code: error.code,
        message: problemText(error.code, 'en', error.params).detail,
        params: error.params,
        ...at(field),
      },
    ];
  }
}
