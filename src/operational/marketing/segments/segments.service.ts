import { Injectable } from '@nestjs/common';
import { CONTACT_DEFINITION } from '#operational/customers/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError, checkIfMatch } from '#platform/http/index.js';
import type { ListRequest } from '#platform/query/index.js';
import {
  RecordResourceService,
  RecordService,
  type ApiRecord,
  type RecordHooks,
} from '#platform/records/index.js';
import { SegmentMembership, type SegmentShape } from './segment-membership.js';
import { SegmentRules } from './segment-rules.js';
import { SEGMENT_DEFINITION, type SegmentType } from './segment.definition.js';

const PREVIEW_SAMPLE = 20;
const MAX_COMPOSITE_DEPTH = 20;

const ids = (v: unknown): string[] =>
  Array.isArray(v) ? [...new Set(v.map((x) => String(x).toLowerCase()))] : [];

/**
 * Segments: their definitions checked (rules against the contact definition, composites
 * against cycles), previews of rules before saving, static lists kept by hand, refreshes
 * of computed membership, and member lists under the caller's contact scope.
 */
@Injectable()
export class SegmentsService extends RecordResourceService {
  readonly def = SEGMENT_DEFINITION;

  protected override readonly hooks: RecordHooks = {
    shape: (input) => {
      const out = { ...input };
      for (const key of ['includeSegmentIds', 'excludeSegmentIds'])
        if (key in out) out[key] = ids(out[key]);
      return out;
    },
    validate: (ctx, r, changed, existing) => this.validateSegment(ctx, r, changed, existing),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly rules: SegmentRules,
    private readonly membership: SegmentMembership,
  ) {
    super(records);
  }

  /** How many contacts a rule selects among those the caller may read, and the first 20. */
  async preview(ctx: RequestContext, raw: unknown) {
    this.permissions.require(ctx.user, this.def.entity, 'read');
    const rule = this.rules.check(ctx, raw, '/rules');
    const page = await this.records.list(
      ctx,
      CONTACT_DEFINITION,
      this.contactsRequest(PREVIEW_SAMPLE),
      [(params) => this.rules.compile(ctx, rule, params)],
    );
    return { count: page.meta.total ?? 0, sample: page.data };
  }

  /** The segment's members as of its last refresh, among the contacts the caller may read. */
  async members(ctx: RequestContext, id: string, request: ListRequest) {
    await this.records.load(ctx, this.def, id);
    return this.records.list(ctx, CONTACT_DEFINITION, request, [
      (params) =>
        `c.id IN (SELECT sm.contact_id FROM segment_members sm WHERE sm.segment_id = ${params.add(id)}::uuid)`,
    ]);
  }

  /** Computes a dynamic or composite segment's members again (a static one is recounted). */
  async refresh(ctx: RequestContext, id: string) {
    return this.db.transaction(ctx, async (tx) => {
      const segment = await this.locked(tx, id);
      return this.membership.refresh(tx, segment);
    });
  }

  /** Refreshes every dynamic and composite segment, each in its own transaction. */
  async refreshAll(ctx: RequestContext): Promise<number> {
    const rows = await this.db.query<{ id: string }>(
      ctx,
      `SELECT id FROM segments WHERE deleted_at IS NULL AND type <> 'static' ORDER BY id`,
    );
    for (const { id } of rows) {
      await this.db.transaction(ctx, async (tx) => {
        const segment = await this.membership.shape(tx, id);
        if (segment) await this.membership.refresh(tx, segment);
      });
    }
    return rows.length;
  }

  /** Adds (or removes) contacts the caller may read to a static segment. */
  async changeMembers(
    ctx: RequestContext,
    id: string,
    contactIds: string[],
    change: 'add' | 'remove',
    ifMatch?: string,
  ) {
    return this.db.transaction(ctx, async (tx) => {
      const segment = await this.locked(tx, id, ifMatch);
      if (segment.type !== 'static')
        throw new AppError('segment_not_static', { type: segment.type });
      const wanted = ids(contactIds);
      await this.membership.mustReadContacts(tx, wanted);
      const changed =
        change === 'add'
          ? await this.membership.add(tx, segment, wanted)
          : await this.membership.remove(tx, segment, wanted);
      const { record } = await this.records.get(tx, this.def, id);
      return { changed: changed.length, memberCount: record.memberCount as number };
    });
  }

  /** The segment locked for a change by a caller allowed to update it. */
  private async locked(tx: RequestContext, id: string, ifMatch?: string): Promise<SegmentShape> {
    const record = await this.records.load(tx, this.def, id, { forUpdate: true });
    const scope = this.permissions.require(tx.user, this.def.entity, 'update');
    if (!this.permissions.inScope(tx.user, scope, record))
      throw AppError.forbidden('update', 'this segment');
    checkIfMatch(ifMatch, record.version);
    return {
      id: record.id,
      name: record.name as string,
      type: record.type as SegmentType,
      rules: record.rules,
      includeSegmentIds: record.includeSegmentIds as string[],
      excludeSegmentIds: record.excludeSegmentIds as string[],
    };
  }

  private contactsRequest(limit: number): ListRequest {
    return {
      filter: null,
      sort: [],
      limit,
      cursor: null,
      fields: null,
      include: [],
      q: null,
      count: 'exact',
    };
  }

  private async validateSegment(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    const type = r.type as SegmentType;
    const include = ids(r.includeSegmentIds);
    const exclude = ids(r.excludeSegmentIds);
    const hasRules = r.rules !== null && r.rules !== undefined;
    if (type === 'dynamic') {
      if (!hasRules) throw AppError.field('rules', 'required', 'is required for a dynamic segment');
      if (changed.has('rules')) this.rules.check(ctx, r.rules, '/rules');
    } else if (hasRules) {
      throw AppError.field('rules', 'forbidden', `a ${type} segment has no rules`);
    }
    if (type !== 'composite' && (include.length || exclude.length))
      throw AppError.field(
        include.length ? 'includeSegmentIds' : 'excludeSegmentIds',
        'forbidden',
        'only a composite segment is made of other segments',
      );
    if (type !== 'composite') return;
    if (include.length === 0)
      throw AppError.field('includeSegmentIds', 'arrayMinSize', 'must name at least one segment');
    if (!changed.has('includeSegmentIds') && !changed.has('excludeSegmentIds')) return;
    for (const [field, list] of [
      ['includeSegmentIds', include],
      ['excludeSegmentIds', exclude],
    ] as const) {
      for (const [i, id] of list.entries())
        await this.records.mustReference(ctx, 'segments', id, `${field}[${i}]`, 'a segment');
    }
    if (existing) await this.assertNoCycle(ctx, existing.id, [...include, ...exclude]);
  }

  /** A composite may not contain itself through any chain of parts. */
  private async assertNoCycle(ctx: RequestContext, id: string, parts: string[]): Promise<void> {
    const rows = await this.db.query<{ id: string; name: string; parts: string[] }>(
      ctx,
      `SELECT id, name, include_segment_ids || exclude_segment_ids AS parts
         FROM segments WHERE deleted_at IS NULL AND type = 'composite'`,
    );
    const graph = new Map(rows.map((row) => [row.id, row.parts]));
    const names = new Map(rows.map((row) => [row.id, row.name]));
    graph.set(id, parts);
    const walk = (at: string, path: string[]): string[] | null => {
      if (path.length > MAX_COMPOSITE_DEPTH) return null;
      for (const next of graph.get(at) ?? []) {
        if (next === id) return [...path, next];
        if (path.includes(next)) continue;
        const found = walk(next, [...path, next]);
        if (found) return found;
      }
      return null;
    };
    const cycle = walk(id, [id]);
    if (cycle)
      throw new AppError(
        'segment_cycle',
        { chain: cycle.map((s) => names.get(s) ?? s).join(' → ') },
        [
          {
            field: 'includeSegmentIds',
            rule: 'noCycle',
            message: 'would make the segment contain itself',
          },
        ],
        { cycle },
      );
  }
}
