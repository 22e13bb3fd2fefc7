import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { AppError, type FieldError } from './app-error.js';

/** Fields the server owns on every record; a body that carries them is told so, by name. */
export const SERVER_OWNED_FIELDS = new Set([
  'id',
  'createdAt',
  'updatedAt',
  'version',
  'deletedAt',
  'createdById',
  'updatedById',
]);

const RULES: Record<string, string> = {
  isDefined: 'required',
  isNotEmpty: 'required',
  isString: 'isString',
  isInt: 'isInt',
  isNumber: 'isNumber',
  isBoolean: 'isBoolean',
  isArray: 'isArray',
  isObject: 'isObject',
  nestedValidation: 'isObject',
  isUuid: 'isUuid',
  isEmail: 'isEmail',
  isUrl: 'isUrl',
  isDateString: 'isDate',
  isIso8601: 'isDate',
  isIn: 'isIn',
  isEnum: 'isIn',
  maxLength: 'maxLength',
  minLength: 'minLength',
  arrayMaxSize: 'arrayMaxSize',
  arrayMinSize: 'arrayMinSize',
  min: 'min',
  max: 'max',
  matches: 'matches',
  isDecimal: 'isDecimal',
  isISO4217CurrencyCode: 'isCurrency',
};

function paramsOf(rule: string, message: string, error: ValidationError): Record<string, unknown> {
  const n = /(-?\d+(\.\d+)?)/.exec(message)?.[1];
  switch (rule) {
    case 'maxLength':
    case 'arrayMaxSize':
    case 'max':
      return { max: n };
    case 'minLength':
    case 'arrayMinSize':
    case 'min':
      return { min: n };
    case 'isIn': {
      const values = /: (.*)$/.exec(message)?.[1];
      return { values: values ?? '' };
    }
    default:
      return { value: error.value };
  }
}

/** Flattens class-validator's tree into `field` paths such as `addresses[0].city`. */
export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = prefix
      ? /^\d+$/.test(e.property)
        ? `${prefix}[${e.property}]`
        : `${prefix}.${e.property}`
      : e.property;
    if (
      (e.value === undefined || e.value === null) &&
      e.constraints &&
      ('isNotEmpty' in e.constraints || 'isDefined' in e.constraints)
    ) {
      // A missing value breaks every rule of its field; only "required" helps the caller.
      out.push({ field, rule: 'required', message: 'is required' });
      continue;
    }
    for (const [constraint, message] of Object.entries(e.constraints ?? {})) {
      if (constraint === 'whitelistValidation') {
        const rule =
          !prefix && SERVER_OWNED_FIELDS.has(e.property) ? 'serverOwned' : 'unknownField';
        out.push({
          field,
          rule,
          message: rule === 'serverOwned' ? 'is set by the server' : 'is not a known field',
        });
        continue;
      }
      const rule = RULES[constraint] ?? constraint;
      out.push({ field, rule, message, params: paramsOf(rule, message, e) });
    }
    if (e.children?.length) out.push(...toFieldErrors(e.children, field));
  }
  // One message per field and rule is enough; class-validator may repeat through `each`.
  const seen = new Set<string>();
  return out.filter((f) => {
    const k = `${f.field}|${f.rule}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export type DtoClass<T> = new () => T;

/**
 * The one way a request body becomes a typed DTO: unknown and server-owned fields are
 * rejected, never dropped, and every problem is reported at once. Used by the global pipe
 * and by bulk endpoints for each item.
 */
export async function validateDto<T extends object>(cls: DtoClass<T>, body: unknown): Promise<T> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw AppError.field('(body)', 'isObject', 'must be a JSON object');
  }
  const instance = plainToInstance(cls, body, {
    enableImplicitConversion: false,
    exposeDefaultValues: false,
  });
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: true },
  });
  if (errors.length > 0) throw AppError.validation(toFieldErrors(errors));
  // Only what the client sent: an absent field must stay absent, not become undefined.
  for (const key of Object.keys(instance))
    if (!(key in body)) delete (instance as Record<string, unknown>)[key];
  return instance;
}

/** Global pipe: validates @Body() DTOs; other parameters pass through to their own pipes. */
@Injectable()
export class DtoValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (
      metadata.type !== 'body' ||
      !type ||
      [Object, Array, String, Number, Boolean].includes(type as never)
    ) {
      return value;
    }
    return validateDto(type as DtoClass<object>, value);
  }
}
