import { customization } from '#platform/customization/custom-field-registry.js';
import type {
  CrudAction,
  EntityGrant,
  FieldAccess,
  RolePermissions,
  Scope,
} from '#platform/context/principal.js';
import { AppError, type FieldError } from '#platform/http/app-error.js';
import type { ResourceRegistry } from '#platform/records/resource-registry.js';
import { permissionSubjects } from '../permission-subjects.js';

const ACTIONS: readonly CrudAction[] = ['create', 'read', 'update', 'delete'];
const SCOPES: readonly Scope[] = ['none', 'own', 'team', 'all'];
const FIELD_ACCESS: readonly FieldAccess[] = ['hidden', 'read-only'];
const TOP_LEVEL = ['admin', 'entities', 'fields'];
/** Attributes every representation needs; restricting them would break reads and writes. */
/** Fields every role sees: a record's identity and the version If-Match compares. */
export const UNRESTRICTABLE: ReadonlySet<string> = new Set(['id', 'version']);
const MAX_ERRORS = 50;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Keys are echoed back in error paths; a hostile key must not make the answer huge. */
const keyLabel = (k: string) => (k.length > 64 ? `${k.slice(0, 64)}…` : k);

/**
 * Checks a role's permissions against what this server actually has: entity keys must be
 * registered resources or permission subjects, and field keys a resource's attributes, so a typo is a 400 naming the path
 * (`permissions.entities.contcts`) instead of a role that silently grants nothing. Returns
 * the canonical form: every action present, `none` and `false` where left out.
 */
export function validateRolePermissions(
  raw: unknown,
  registry: ResourceRegistry,
  path = 'permissions',
): RolePermissions {
  const errors: FieldError[] = [];
  const fail = (field: string, rule: string, message: string, params?: Record<string, unknown>) =>
    errors.push({ field, rule, message, params });
  if (!isPlainObject(raw)) throw AppError.field(path, 'isObject', 'must be an object');
  const records = registry.entities();
  const known = [...records, ...permissionSubjects().filter((s) => !records.includes(s))];
  const knownList = known.join(', ');
  const recordList = records.join(', ');

  for (const key of Object.keys(raw))
    if (!TOP_LEVEL.includes(key))
      fail(`${path}.${keyLabel(key)}`, 'unknownField', 'is not a known field');

  let admin = false;
  if (raw.admin !== undefined) {
    if (typeof raw.admin !== 'boolean') fail(`${path}.admin`, 'isBoolean', 'must be a boolean');
    else admin = raw.admin;
  }

  const entities: Record<string, EntityGrant> = {};
  if (raw.entities !== undefined && !isPlainObject(raw.entities)) {
    fail(`${path}.entities`, 'isObject', 'must be an object');
  } else {
    for (const [entity, grant] of Object.entries(raw.entities ?? {})) {
      const at = `${path}.entities.${keyLabel(entity)}`;
      if (!known.includes(entity)) {
        fail(at, 'unknownField', `is not a known entity (known: ${knownList})`, {
          values: knownList,
        });
        continue;
      }
      if (!isPlainObject(grant)) {
        fail(at, 'isObject', 'must be an object');
        continue;
      }
      const out: EntityGrant = {
        create: 'none',
        read: 'none',
        update: 'none',
        delete: 'none',
        reassign: false,
      };
      for (const [key, value] of Object.entries(grant)) {
        if ((ACTIONS as readonly string[]).includes(key)) {
          if (!(SCOPES as readonly unknown[]).includes(value))
            fail(`${at}.${key}`, 'isIn', `must be one of: ${SCOPES.join(', ')}`, {
              values: SCOPES.join(', '),
            });
          else out[key as CrudAction] = value as Scope;
        } else if (key === 'reassign') {
          if (typeof value !== 'boolean') fail(`${at}.reassign`, 'isBoolean', 'must be a boolean');
          else out.reassign = value;
        } else {
          fail(`${at}.${keyLabel(key)}`, 'unknownField', 'is not a known field');
        }
      }
      entities[entity] = out;
    }
  }

  const fields: Record<string, Record<string, FieldAccess>> = {};
  if (raw.fields !== undefined && !isPlainObject(raw.fields)) {
    fail(`${path}.fields`, 'isObject', 'must be an object');
  } else {
    for (const [entity, perField] of Object.entries(raw.fields ?? {})) {
      const at = `${path}.fields.${keyLabel(entity)}`;
      if (!records.includes(entity)) {
        fail(at, 'unknownField', `is not a known entity (known: ${recordList})`, {
          values: recordList,
        });
        continue;
      }
      if (!isPlainObject(perField)) {
        fail(at, 'isObject', 'must be an object');
        continue;
      }
      const attributes = new Set([
        ...registry.get(entity).attributes.map((a) => a.name),
        ...customization.fieldsOf(entity).map((f) => `customFields.${f.code}`),
      ]);
      const out: Record<string, FieldAccess> = {};
      for (const [field, access] of Object.entries(perField)) {
        const fieldAt = `${at}.${keyLabel(field)}`;
        if (!attributes.has(field)) fail(fieldAt, 'unknownField', 'is not a field of this entity');
        else if (UNRESTRICTABLE.has(field))
          fail(fieldAt, 'invalid', 'cannot be hidden or made read-only');
        else if (!(FIELD_ACCESS as readonly unknown[]).includes(access))
          fail(fieldAt, 'isIn', `must be one of: ${FIELD_ACCESS.join(', ')}`, {
            values: FIELD_ACCESS.join(', '),
          });
        else out[field] = access as FieldAccess;
      }
      if (Object.keys(out).length > 0) fields[entity] = out;
    }
  }

  if (errors.length > 0) throw AppError.validation(errors.slice(0, MAX_ERRORS));
  return { admin, entities, fields };
}
