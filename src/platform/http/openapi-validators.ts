import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

type Json = Record<string, unknown>;

interface ValidationRule {
  name?: string;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
  groups?: string[];
}

/** class-validator keeps its rules by class; the document names its schemas by class name. */
function rulesByClassName(): Map<string, ValidationRule[]> {
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas?: Map<{ name?: string }, ValidationRule[]>;
  };
  const byName = new Map<string, ValidationRule[]>();
  for (const [target, rules] of storage.validationMetadatas ?? new Map()) {
    if (!target.name) continue;
    byName.set(target.name, [...(byName.get(target.name) ?? []), ...rules]);
  }
  return byName;
}

/** A pattern JSON Schema validators read the same way (ECMA-262 with the u flag), or null. */
function portablePattern(constraint: unknown): string | null {
  if (!(constraint instanceof RegExp) || constraint.flags.replace('u', '') !== '') return null;
  try {
    new RegExp(constraint.source, 'u');
    return constraint.source;
  } catch {
    return null;
  }
}

/** What one rule says about a property's schema, for the keywords the schema leaves open. */
function applyRule(schema: Json, rule: ValidationRule): void {
  const [first, second] = rule.constraints ?? [];
  const setIfOpen = (key: string, value: unknown) => {
    if (schema[key] === undefined && value !== undefined && value !== null) schema[key] = value;
  };
  switch (rule.name) {
    case 'isEmail':
      if (schema.type === 'string') setIfOpen('format', 'email');
      break;
    case 'isNotEmpty':
      if (schema.type === 'string') setIfOpen('minLength', 1);
      break;
    case 'minLength':
      if (schema.type === 'string' && typeof first === 'number') setIfOpen('minLength', first);
      break;
    case 'maxLength':
      if (schema.type === 'string' && typeof first === 'number') setIfOpen('maxLength', first);
      break;
    case 'length':
      if (schema.type === 'string') {
        if (typeof first === 'number') setIfOpen('minLength', first);
        if (typeof second === 'number') setIfOpen('maxLength', second);
      }
      break;
    case 'matches':
      if (schema.type === 'string' && schema.enum === undefined && schema.format === undefined)
        setIfOpen('pattern', portablePattern(first));
      break;
    case 'isISO4217CurrencyCode':
      if (schema.type === 'string' && schema.enum === undefined) setIfOpen('pattern', '^[A-Z]{3}$');
      break;
    case 'min':
      if ((schema.type === 'integer' || schema.type === 'number') && typeof first === 'number')
        setIfOpen('minimum', first);
      break;
    case 'max':
      if ((schema.type === 'integer' || schema.type === 'number') && typeof first === 'number')
        setIfOpen('maximum', first);
      break;
    default:
  }
}

/**
 * Writes into each DTO's schema what its class-validator rules require and the swagger
 * decorators did not say — an e-mail format, a non-empty string, a pattern, a currency code,
 * bounds — so a client generated from the document sends what the server accepts. Rules of
 * validation groups and keywords a decorator set already are left alone.
 */
export function documentValidatorRules(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Json>;
  for (const [className, rules] of rulesByClassName()) {
    const properties = schemas[className]?.properties as Record<string, Json> | undefined;
    if (!properties) continue;
    for (const rule of rules) {
      if (rule.groups?.length) continue;
      const property = properties[rule.propertyName];
      if (!property || property.$ref) continue;
      if (rule.each) {
        const items = property.items as Json | undefined;
        if (property.type === 'array' && items && !items.$ref) applyRule(items, rule);
      } else {
        applyRule(property, rule);
      }
    }
  }
}
