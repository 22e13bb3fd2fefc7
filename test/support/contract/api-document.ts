import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { FORMATS, documentSchema, toJsonSchema } from './json-schema.js';

type Json = Record<string, unknown>;

interface Operation {
  method: string;
  template: string;
  operationId: string;
  responses: Record<string, Json>;
  /** Where it takes `fields`, which leaves the unnamed fields out of each record. */
  projects: 'query' | 'body' | null;
}

interface PathEntry {
  template: string;
  pattern: RegExp;
  literals: number;
  operations: Map<string, Operation>;
}

/** One way a response differs from what the document promises. */
export interface Drift {
  operation: string;
  method: string;
  path: string;
  status: number;
  contentType: string;
  problems: string[];
}

/** What the check needs to know of a response, whatever client received it. */
export interface ObservedResponse {
  method: string;
  url: string;
  status: number;
  contentType: string | undefined;
  body: unknown;
  hasBody: boolean;
  /** What the request sent, where a JSON body can carry `fields`. */
  requestBody?: unknown;
}

const DOCUMENT_ID = 'relasi:openapi';
const SHOWN_ERRORS = 8;

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

function mediaMatches(range: string, actual: string): boolean {
  if (range === actual || range === '*/*') return true;
  return range.endsWith('/*') && actual.startsWith(range.slice(0, -1));
}

function compilePath(template: string): { pattern: RegExp; literals: number } {
  const segments = template.split('/');
  let literals = 0;
  const parts = segments.map((segment) => {
    if (/^\{[^}]+\}$/.test(segment)) return '[^/]+';
    literals += 1;
    return segment
      .split(/\{[^}]+\}/)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+');
  });
  return { pattern: new RegExp(`^${parts.join('/')}$`), literals };
}

function describeError(error: ErrorObject): string {
  const where = `/body${error.instancePath}`;
  const params = error.params as Json;
  const extra =
    error.keyword === 'unevaluatedProperties' || error.keyword === 'additionalProperties'
      ? ` (${String(params.unevaluatedProperty ?? params.additionalProperty)})`
      : error.keyword === 'enum'
        ? ` (${JSON.stringify(params.allowedValues)})`
        : '';
  return `${where}: ${error.message ?? error.keyword}${extra} [${error.schemaPath}]`;
}

/**
 * An OpenAPI 3 document turned into response checks: finds the operation a request went to
 * (literal path segments win over templated ones, as OpenAPI says), picks the response the
 * status selects (exact, then `4XX`, then `default`) and validates the body with ajv.
 */
export class ApiDocument {
  private readonly paths: PathEntry[];
  /** One ajv per projection (`''` for none): a projection changes what components require. */
  private readonly ajvs = new Map<string, Ajv2020>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: Json) {
    this.paths = Object.entries((document.paths ?? {}) as Record<string, Json>)
      .map(([template, item]) => {
        const operations = new Map<string, Operation>();
        for (const [method, op] of Object.entries(item)) {
          const { operationId, responses, parameters, requestBody } = op as Json;
          if (!responses) continue;
          operations.set(method, {
            method,
            template,
            operationId: String(operationId ?? `${method} ${template}`),
            responses: responses as Record<string, Json>,
            projects: this.projectionOf(parameters as Json[] | undefined, requestBody as Json),
          });
        }
        return { template, operations, ...compilePath(template) };
      })
      .sort((a, b) => b.literals - a.literals);
  }

  /** The document checked in at openapi/openapi.json: what a server with no config serves. */
  static checkedIn(): ApiDocument {
    checkedInDocument ??= new ApiDocument(
      JSON.parse(readFileSync(join(process.cwd(), 'openapi/openapi.json'), 'utf8')) as Json,
    );
    return checkedInDocument;
  }

  /** The document a running server serves, for a server whose config adds to it. */
  static async served(baseUrl: string): Promise<ApiDocument> {
    const res = await fetch(`${baseUrl}/openapi.json`);
    if (res.status !== 200) throw new Error(`${baseUrl}/openapi.json answered ${res.status}`);
    return new ApiDocument((await res.json()) as Json);
  }

  /** The differences between a response and the document, or null when it keeps to it. */
  check(response: ObservedResponse): Drift | null {
    const { pathname, searchParams } = new URL(response.url, 'http://localhost');
    const method = response.method.toLowerCase();
    const entry = this.paths.find((p) => p.pattern.test(pathname));
    const contentType = mediaType(response.contentType);
    const drift = (operation: string, problems: string[]): Drift => ({
      operation,
      method: method.toUpperCase(),
      path: pathname,
      status: response.status,
      contentType,
      problems,
    });
    // An error for a request the document has no operation for is the server keeping to the
    // document; an answer that is not an error would be an undocumented operation.
    const notRouted = response.status >= 400;
    if (!entry) {
      if (notRouted || !pathname.startsWith('/api/')) return null;
      return drift('(none)', ['the document has no path for this request']);
    }
    const operation = entry.operations.get(method === 'head' ? 'get' : method);
    if (!operation) {
      if (notRouted || method === 'options') return null;
      return drift('(none)', [`the document has no ${method.toUpperCase()} ${entry.template}`]);
    }
    const label = `${operation.operationId} (${method.toUpperCase()} ${operation.template})`;
    const status = String(response.status);
    const documented =
      operation.responses[status] ??
      operation.responses[`${status[0]}XX`] ??
      operation.responses.default;
    if (!documented)
      return drift(label, [
        `status ${status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`,
      ]);
    const fields =
      operation.projects === 'query'
        ? (searchParams.get('fields') ?? '')
        : operation.projects === 'body'
          ? bodyFields(response.requestBody)
          : '';
    const problems = this.checkBody(operation, status, documented, response, contentType, fields);
    return problems.length ? drift(label, problems) : null;
  }

  private checkBody(
    operation: Operation,
    status: string,
    documented: Json,
    response: ObservedResponse,
    contentType: string,
    fields: string,
  ): string[] {
    const content = (documented.content ?? {}) as Record<string, Json>;
    const ranges = Object.keys(content);
    if (!response.hasBody || response.method.toLowerCase() === 'head')
      return ranges.length && response.method.toLowerCase() !== 'head'
        ? [`the body is empty; the document describes ${ranges.join(', ')}`]
        : [];
    if (!ranges.length)
      return [`the body is ${contentType || 'untyped'}; the document describes no body`];
    const range = ranges.find((r) => mediaMatches(r, contentType));
    if (!range)
      return [`content type ${contentType || '(none)'} is not one of ${ranges.join(', ')}`];
    const schema = content[range].schema;
    if (!schema || !/[/+]json$/.test(contentType)) return [];
    const key = `${operation.method} ${operation.template} ${status} ${range} ${fields}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajvFor(fields).compile(toJsonSchema(schema, DOCUMENT_ID));
      this.validators.set(key, validate);
    }
    if (validate(response.body)) return [];
    const errors = validate.errors ?? [];
    const shown = errors.slice(0, SHOWN_ERRORS).map(describeError);
    if (errors.length > SHOWN_ERRORS) shown.push(`… and ${errors.length - SHOWN_ERRORS} more`);
    return shown;
  }

  /** `fields` as a query parameter, or as a property of the JSON body (`POST …/query`). */
  private projectionOf(parameters: Json[] | undefined, requestBody: Json | undefined) {
    if ((parameters ?? []).some((p) => p.in === 'query' && p.name === 'fields')) return 'query';
    const content = (requestBody?.content ?? {}) as Record<string, Json>;
    let schema = content['application/json']?.schema as Json | undefined;
    const ref = schema?.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
      const schemas = ((this.document.components as Json | undefined)?.schemas ?? {}) as Json;
      schema = schemas[ref.slice('#/components/schemas/'.length)] as Json | undefined;
    }
    return (schema?.properties as Json | undefined)?.fields ? 'body' : null;
  }

  private ajvFor(fields: string): Ajv2020 {
    let ajv = this.ajvs.get(fields);
    if (!ajv) {
      const projection = fields ? new Set(fields.split(',').map((f) => f.trim())) : undefined;
      ajv = new Ajv2020({ strict: false, allErrors: true, formats: FORMATS });
      ajv.addSchema(documentSchema(this.document, DOCUMENT_ID, projection));
      this.ajvs.set(fields, ajv);
    }
    return ajv;
  }
}

function bodyFields(body: unknown): string {
  const fields = (body as { fields?: unknown } | undefined)?.fields;
  if (Array.isArray(fields)) return fields.join(',');
  return typeof fields === 'string' ? fields : '';
}

let checkedInDocument: ApiDocument | undefined;
