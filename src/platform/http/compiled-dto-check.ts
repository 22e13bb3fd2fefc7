import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage as transformMetadata } from 'class-transformer/cjs/storage.js';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import { validateDto, type DtoClass } from './dto-validation.js';

type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];

/** Whether a plain object passes every rule: `true` only when class-validator would agree. */
type BodyCheck = (body: Record<string, unknown>) => boolean;

/** An object literal or parsed JSON (of any realm), not a class instance or an array. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** A validator's answer counts only when it is given at once; a pending one defers to class-validator. */
function passes(result: unknown): boolean {
  if (result instanceof Promise) {
    result.catch(() => undefined);
    return false;
  }
  return Boolean(result);
}

const compiled = new WeakMap<DtoClass<object>, BodyCheck | null>();

function compiledCheck(cls: DtoClass<object>): BodyCheck | null {
  if (!compiled.has(cls)) compiled.set(cls, compile(cls, []));
  return compiled.get(cls)!;
}

/**
 * A DTO's class-validator rules compiled once into plain checks, for bulk writers (CSV import)
 * that validate many bodies of one class: the per-call metadata lookups, instance building and
 * error objects of class-validator cost more than the rules themselves. The checks call the
 * very validators the decorators registered, under the conditions class-validator applies
 * them (`@IsOptional`, `each`, `@ValidateNested` with `@Type`, unknown properties). Null when
 * the class uses something this does not mirror (transforms, discriminators, schemas): such a
 * class is always validated by class-validator.
 */
function compile(cls: DtoClass<object>, outer: readonly DtoClass<object>[]): BodyCheck | null {
  if (outer.includes(cls)) return null; // a class nested in itself
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false);
  if (
    metadatas.length === 0 ||
    transformMetadata.getStrategy(cls) !== 'none' ||
    transformMetadata.getExposedMetadatas(cls).length > 0 ||
    transformMetadata.getExcludedMetadatas(cls).length > 0
  )
    return null;
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of metadatas)
    byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  const properties: { name: string; check: (value: unknown, object: object) => boolean }[] = [];
  for (const [name, list] of byProperty) {
    const check = compileProperty(cls, name, list, [...outer, cls]);
    if (!check) return null;
    properties.push({ name, check });
  }
  const known = new Set(byProperty.keys());
  return (body) => {
    for (const key of Object.keys(body)) if (!known.has(key)) return false;
    for (const p of properties) if (!p.check(body[p.name], body)) return false;
    return true;
  };
}

function compileProperty(
  cls: DtoClass<object>,
  property: string,
  metadatas: ValidationMetadata[],
  outer: readonly DtoClass<object>[],
): ((value: unknown, object: object) => boolean) | null {
  if (
    transformMetadata.findTransformMetadatas(cls, property, TransformationType.PLAIN_TO_CLASS)
      .length
  )
    return null;
  const conditions: ((object: object, value: unknown) => boolean)[] = [];
  const rules: {
    metadata: ValidationMetadata;
    validate: (value: unknown, args: ValidationArguments) => unknown;
    /** Reused from call to call (validators answer at once here), not built per value. */
    args: ValidationArguments;
  }[] = [];
  let nested: BodyCheck | null | undefined;
  for (const m of metadatas) {
    switch (m.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        conditions.push(m.constraints[0] as (object: object, value: unknown) => boolean);
        break;
      case ValidationTypes.IS_DEFINED:
      case ValidationTypes.CUSTOM_VALIDATION:
        for (const c of getMetadataStorage().getTargetValidatorConstraints(m.constraintCls)) {
          const instance = c.instance;
          rules.push({
            metadata: m,
            validate: (value, args) => instance.validate(value, args),
            args: {
              targetName: cls.name,
              property,
              object: {},
              value: undefined,
              constraints: m.constraints,
            },
          });
        }
        break;
      case ValidationTypes.NESTED_VALIDATION: {
        const type = transformMetadata.findTypeMetadata(cls, property);
        const target = type && !type.options?.discriminator ? type.typeFunction() : undefined;
        nested = typeof target === 'function' ? compile(target as DtoClass<object>, outer) : null;
        if (!nested) return null;
        break;
      }
      case ValidationTypes.WHITELIST:
        break;
      default:
        return null;
    }
  }
  // A `@Type` without nested validation converts the value (to a Date, a Number, …).
  if (!nested && transformMetadata.findTypeMetadata(cls, property)) return null;
  return (value, object) => {
    for (const condition of conditions) if (!condition(object, value)) return true;
    for (const { metadata: m, validate, args } of rules) {
      if (m.validateIf && !m.validateIf(object, value)) continue;
      args.object = object;
      args.value = value;
      if (m.each && Array.isArray(value)) {
        for (const item of value) if (!passes(validate(item, args))) return false;
      } else if (m.each && (value instanceof Set || value instanceof Map)) {
        return false;
      } else if (!passes(validate(value, args))) {
        return false;
      }
    }
    if (nested && value !== undefined) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) if (!isPlainObject(item) || !nested(item)) return false;
    }
    return true;
  };
}

/**
 * `validateDto` for many bodies of one class: a body that passes the compiled checks is
 * returned as it is (the same data validateDto would give, without the class instance);
 * any other body goes through validateDto, so every problem is reported exactly as the API
 * reports it.
 */
export async function validateDtoFast(
  cls: DtoClass<object>,
  body: unknown,
): Promise<Record<string, unknown>> {
  const check = compiledCheck(cls);
  if (check && isPlainObject(body) && check(body)) return body;
  return (await validateDto(cls, body)) as Record<string, unknown>;
}
