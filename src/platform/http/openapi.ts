import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { describeCustomFields } from '#platform/customization/custom-fields.openapi.js';
import { UNRESTRICTABLE } from '#platform/access/roles/role-permissions.validator.js';
import { recordSchemas } from '#platform/records/record-controller.factory.js';
import { customization } from '#platform/customization/custom-field-registry.js';
import type { QuerySchema } from '#platform/query/query-schema.js';
import { querySchemaOf, type ResourceDefinition } from '#platform/records/resource-definition.js';
import { ResourceRegistry } from '#platform/records/resource-registry.js';
import {
  documentRecordFilters,
  documentRecordSortAndFields,
  type RecordListNames,
} from './openapi-filters.js';
import { PROBLEMS } from './problem-catalog.js';
import { applySchemaConventions, documentSharedResponses } from './openapi-conventions.js';
import { documentValidatorRules } from './openapi-validators.js';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

const HIDDEN_FIELDS_LEFT_OUT =
  'A field your role hides (permissions.fields) is left out, as are the fields `fields=` does not name.';

function kebab(entity: string): string {
  return entity.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * States on each record's response schema the related records `include=` embeds (the related
 * record as its own endpoint answers it, or null when there is none or the caller may not see
 * it), and that a field the caller's role hides is left out: only the fields no role can hide
 * stay required.
 */
function documentRecordEmbedsAndHiding(
  document: OpenAPIObject,
  resources: { entity: string; relations: { name: string; entity: string }[] }[],
): void {
  const schemas = (document.components?.schemas ?? {}) as Record<
    string,
    { properties?: Record<string, unknown>; required?: string[]; description?: string }
  >;
  const responseSchema = (entity: string) => recordSchemas.get(kebab(entity))?.[2];
  for (const { entity, relations } of resources) {
    const schema = schemas[responseSchema(entity) ?? ''];
    const properties = schema?.properties;
    if (!properties) continue;
    schema.required = schema.required?.filter((name) => UNRESTRICTABLE.has(name));
    if (!schema.description?.includes(HIDDEN_FIELDS_LEFT_OUT))
      schema.description = [schema.description, HIDDEN_FIELDS_LEFT_OUT].filter(Boolean).join(' ');
    for (const relation of relations) {
      const target = responseSchema(relation.entity);
      if (!target || properties[relation.name]) continue;
      properties[relation.name] = {
        type: 'object',
        nullable: true,
        allOf: [{ $ref: `#/components/schemas/${target}` }],
        description: `Only with include=${relation.name}: the related record, or null when there is none or it is outside your read scope`,
      };
    }
  }
}

/** A resource's sortable fields and, one relation deep, those of its related records. */
function sortableNames(schema: QuerySchema): string[] {
  const own = (s: QuerySchema) =>
    [...s.fields.values()].filter((f) => f.sortable).map((f) => f.name);
  return [
    ...own(schema),
    ...[...schema.relations.values()].flatMap((r) => own(r.target()).map((f) => `${r.name}.${f}`)),
  ];
}

/** What `sort` and `fields` take on one resource, from the definitions that check them. */
function recordListNames(def: ResourceDefinition): RecordListNames {
  const attributes = def.attributes.map((a) => a.name);
  return {
    entity: def.entity,
    sortable: sortableNames(querySchemaOf(def)),
    readable: [...attributes, ...def.relations.map((r) => r.name)],
    exportable: [
      ...attributes,
      ...customization.fieldsOf(def.entity).map((f) => `customFields.${f.code}`),
    ],
  };
}

/** Lists on the problem schema the extension members the problems in force declare. */
function documentProblemExtensions(document: OpenAPIObject): void {
  const problem = document.components?.schemas?.ProblemDto as
    { properties?: Record<string, unknown> } | undefined;
  if (!problem?.properties) return;
  for (const definition of Object.values(PROBLEMS))
    for (const [name, schema] of Object.entries(definition.extensions ?? {}))
      problem.properties[name] ??= { ...schema };
}

/** The OpenAPI document, with sorted keys so the checked-in copy diffs cleanly. */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Relasi API')
    .setDescription(
      'REST API of Relasi, an on-premise CRM. Every error is RFC 9457 problem+json with a stable `code`; ' +
        'lists use keyset cursors; POSTs accept Idempotency-Key; reads return an ETag for If-Match.',
    )
    .setVersion(version)
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT or API key',
      description: 'Access token from /api/v1/auth/login, or an API key',
    })
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          "Access token of an audience other than staff, from that audience's login; accepted only by its routes. " +
          'An HS256 JWT issued and checked as RFC8725 advises: algorithm fixed, issuer, audience, type and expiry verified.',
      },
      'audienceBearer',
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description: 'API key created at /api/v1/api-keys',
      },
      'apiKey',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey: string, methodKey: string) =>
      `${controllerKey}_${methodKey}`,
  });
  describeCustomFields(document, recordSchemas);
  const registry = app.get(ResourceRegistry);
  documentRecordFilters(
    document,
    registry.entities().map((entity) => {
      const def = registry.get(entity);
      return { label: def.label, schema: querySchemaOf(def) };
    }),
  );
  documentRecordSortAndFields(
    document,
    registry.entities().map((entity) => recordListNames(registry.get(entity))),
  );
  documentRecordEmbedsAndHiding(
    document,
    registry.entities().map((entity) => ({ entity, relations: registry.get(entity).relations })),
  );
  documentValidatorRules(document);
  documentProblemExtensions(document);
  documentSharedResponses(document);
  applySchemaConventions(document);
  return sortKeys(document) as OpenAPIObject;
}
