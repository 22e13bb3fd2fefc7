import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { describeCustomFields } from '#platform/customization/custom-fields.openapi.js';
import { recordSchemas } from '#platform/records/record-controller.factory.js';
import { querySchemaOf } from '#platform/records/resource-definition.js';
import { ResourceRegistry } from '#platform/records/resource-registry.js';
import { documentRecordFilters } from './openapi-filters.js';
import { applySchemaConventions, documentSharedResponses } from './openapi-conventions.js';

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
  documentSharedResponses(document);
  applySchemaConventions(document);
  return sortKeys(document) as OpenAPIObject;
}
