import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** Outcome of checking one response body against GitHub's published OpenAPI description. */
export interface ResponseCheck {
  valid: boolean;
  /** False when the description has no JSON body for this operation and status. */
  described: boolean;
  errors: string[];
}

export interface OpenApiValidator {
  /**
   * Checks `body` against the response schema of `method path-template` for `status`. Error statuses
   * the description leaves out are held to GitHub's generic `basic-error`.
   */
  checkResponse(method: string, pathTemplate: string, status: number, body: unknown): ResponseCheck;
  /** The operationId GitHub gives `method path-template`, or undefined when it has none. */
  readOperationId(method: string, pathTemplate: string): string | undefined;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, ResponseObject> }>>;
  components: { responses?: Record<string, ResponseObject> };
}
interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
}

const documentId = 'api.github.com';
// ajv-formats ships CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
let shared: OpenApiValidator | undefined;

/**
 * Brings OpenAPI 3.0 `nullable` to what ajv implements: beside `allOf`/`anyOf`/`$ref` with no `type`
 * it becomes `anyOf: [null, schema]`, and a nullable `enum` gains `null`, as OpenAPI means.
 */
function normalizeNullable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeNullable);
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([key, child]) => [key, normalizeNullable(child)] as const);
  const schema = Object.fromEntries(entries) as Record<string, unknown>;
  if (schema.nullable !== true) return schema;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...(schema.enum as unknown[]), null];
  if ('type' in schema) return schema;
  const { nullable: _nullable, ...rest } = schema;
  return { anyOf: [{ type: 'null' }, rest] };
}

/** Reads the non-dereferenced description: its $refs keep compilation small and shared. */
function readDocument(): OpenApiDocument {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  return normalizeNullable(JSON.parse(readFileSync(file, 'utf8'))) as OpenApiDocument;
}

function escapePointer(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

/**
 * Returns the process-wide validator for GitHub REST responses, built from `@octokit/openapi`.
 * Validators are compiled on first use per operation and status, then cached.
 */
export function createOpenApiValidator(): OpenApiValidator {
  if (shared) return shared;
  const document = readDocument();
  const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true, discriminator: false });
  addFormats(ajv);
  // GitHub sends "" for unset URLs (deployment status target_url, log_url, environment_url) although
  // its description says format: uri; real responses must pass, so the empty string is a URI here.
  const checkUri = ajv.formats.uri as (value: string) => boolean;
  ajv.addFormat('uri', (value: string) => value === '' || checkUri(value));
  ajv.addFormat('int32', true).addFormat('int64', true).addFormat('binary', true).addFormat('repo.nwo', true);
  ajv.addSchema(document as object, documentId);
  const cache = new Map<string, ValidateFunction | null>();

  function resolveResponse(response: ResponseObject | undefined): ResponseObject | undefined {
    const name = response?.$ref?.replace('#/components/responses/', '');
    return name ? document.components.responses?.[name] : response;
  }

  function compile(method: string, template: string, status: number): ValidateFunction | null {
    const key = `${method} ${template} ${status}`;
    if (cache.has(key)) return cache.get(key) ?? null;
    const operation = document.paths[template]?.[method.toLowerCase()];
    const raw = operation?.responses?.[String(status)];
    const response = resolveResponse(raw);
    let validate: ValidateFunction | null = null;
    if (!response && status >= 400 && operation) {
      validate = ajv.getSchema(`${documentId}#/components/schemas/basic-error`) ?? null;
    } else if (response?.content?.['application/json']?.schema) {
      const base = raw?.$ref
        ? `${documentId}#/components/responses/${escapePointer(raw.$ref.replace('#/components/responses/', ''))}`
        : `${documentId}#/paths/${escapePointer(template)}/${method.toLowerCase()}/responses/${status}`;
      validate = ajv.getSchema(`${base}/content/${escapePointer('application/json')}/schema`) ?? null;
    }
    cache.set(key, validate);
    return validate;
  }

  shared = {
    checkResponse(method, template, status, body) {
      const validate = compile(method, template, status);
      if (!validate) return { valid: true, described: false, errors: [] };
      const valid = validate(body) as boolean;
      const errors = (validate.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
      );
      return { valid, described: true, errors: valid ? [] : errors };
    },
    readOperationId(method, template) {
      return document.paths[template]?.[method.toLowerCase()]?.operationId;
    },
  };
  return shared;
}
