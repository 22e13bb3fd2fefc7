import { createHash } from 'node:crypto';
import type { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import type { RequestContext } from '#platform/context/request-context.js';
import { AppError, type FieldError } from '#platform/http/app-error.js';
import { DUPLICATE_MODES, IMPORT_LIMITS, type DuplicateMode } from './dto/import.dto.js';
import { checkMapping, resolveMapping, type RawMapping } from './import-mapping.js';
import type { ImportableResource, ImportableResources } from './importable-resources.js';

const FORM_FIELDS = new Set(['entity', 'mapping', 'duplicates']);

/** JSON with sorted keys, so that equal forms hash the same. */
function canonical(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The form of an upload, checked field by field as the parts arrive, so that a caller who
 * may not import (403) or names an unknown entity (400) hears it before the file is read
 * whenever the fields come first.
 */
export class UploadForm {
  entity: string | undefined;
  duplicates: DuplicateMode = 'skip';
  mapping: RawMapping | null = null;
  resource: ImportableResource | undefined;
  private readonly given = new Set<string>();

  constructor(
    private readonly ctx: RequestContext,
    private readonly resources: ImportableResources,
    private readonly permissions: PermissionEvaluator,
  ) {}

  add(name: string, value: unknown): void {
    if (!FORM_FIELDS.has(name)) throw AppError.field(name, 'unknownField', 'is not a known field');
    if (this.given.has(name)) throw AppError.field(name, 'unique', 'is given twice');
    this.given.add(name);
    const text = typeof value === 'string' ? value.trim() : value;
    const maxLength = name === 'mapping' ? IMPORT_LIMITS.mapping : IMPORT_LIMITS.entity;
    if (typeof text === 'string' && text.length > maxLength)
      throw AppError.field(name, 'maxLength', `must be at most ${maxLength} characters`, {
        max: maxLength,
      });
    if (name === 'entity') {
      if (typeof text !== 'string' || !this.resources.get(text)) {
        throw AppError.field(
          'entity',
          'isIn',
          `must be one of: ${this.resources.entities().join(', ')}`,
          {
            values: this.resources.entities().join(', '),
          },
        );
      }
      this.entity = text;
      this.resource = this.resources.get(text);
      this.permissions.require(this.ctx.user, text, 'create');
    } else if (name === 'duplicates') {
      if (!DUPLICATE_MODES.includes(text as DuplicateMode))
        throw AppError.field(
          'duplicates',
          'isIn',
          `must be one of: ${DUPLICATE_MODES.join(', ')}`,
          {
            values: DUPLICATE_MODES.join(', '),
          },
        );
      this.duplicates = text as DuplicateMode;
    } else {
      let parsed: unknown;
      try {
        parsed = typeof text === 'string' ? JSON.parse(text) : text;
      } catch {
        throw AppError.field('mapping', 'isJson', 'must be valid JSON');
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        throw AppError.field(
          'mapping',
          'isObject',
          'must be a JSON object of CSV column → field name',
        );
      this.mapping = parsed as RawMapping;
    }
    this.checkSoFar(null);
  }

  /** What can be checked with what is known: permissions, then the mapping (against `header` once read). */
  checkSoFar(header: readonly string[] | null): void {
    const resource = this.resource;
    if (!resource) return;
    const entity = resource.def.entity;
    if (this.duplicates === 'update') this.permissions.require(this.ctx.user, entity, 'update');
    if (this.mapping) {
      const errors: FieldError[] = checkMapping(resource.def, this.mapping, header);
      if (errors.length) throw AppError.validation(errors);
      for (const f of Object.values(this.mapping)) if (f) this.checkWritable(f);
    }
  }

  private writable(fieldName: string): boolean {
    const def = this.resource!.def;
    const root = fieldName.startsWith('customFields.')
      ? fieldName.split('.').slice(0, 2).join('.')
      : fieldName.split(/[.[]/)[0];
    const access = this.permissions.field(this.ctx.user, def.entity, root);
    if (access === 'hidden' || access === 'read-only') return false;
    if (root === 'ownerId' || root === 'teamId')
      return this.permissions.grant(this.ctx.user, def.entity).reassign;
    return true;
  }

  private checkWritable(fieldName: string): void {
    if (this.writable(fieldName)) return;
    const root = fieldName.split(/[.[]/)[0];
    if (root === 'ownerId' || root === 'teamId')
      throw new AppError('reassign_forbidden', { entity: this.resource!.def.entity });
    throw new AppError('field_read_only', { field: fieldName });
  }

  /** The mapping to store: as given, or — without one — the file's columns that name a field the caller may write. */
  finish(header: readonly string[]): RawMapping | null {
    if (!this.resource) throw AppError.field('entity', 'required', 'is required');
    this.checkSoFar(header);
    if (this.mapping) return this.mapping;
    const readable = resolveMapping(this.resource.def, header, null).columns.filter((c) =>
      this.writable(c.field),
    );
    if (readable.length === 0)
      throw AppError.field(
        'mapping',
        'required',
        'is required: no column of the file is named after a field',
      );
    // Stored explicitly, so the columns the caller may not write stay out for good.
    return Object.fromEntries(readable.map((c) => [c.column, c.field]));
  }

  /** What a repeated Idempotency-Key must match: the file's hash, the entity, mode and mapping. */
  fingerprint(sha256: string): string {
    return createHash('sha256')
      .update(
        canonical({
          entity: this.entity,
          duplicates: this.duplicates,
          mapping: this.mapping,
          sha256,
        }),
      )
      .digest('hex');
  }
}
