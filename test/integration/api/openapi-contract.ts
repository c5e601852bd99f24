import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { OPENAPI_DOCUMENT } from '#shared/http/openapi.ts';
import type { HttpResponse } from '#shared/http/responses.ts';

const DOCUMENT_ID = 'openapi.json';
// The document's own keywords (openapi, paths, …) are not JSON Schema: strict mode stays off for it.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(OPENAPI_DOCUMENT, DOCUMENT_ID);

interface OperationResponses {
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
}

/**
 * Asserts a real response is one the OpenAPI document declares for the route: the status is listed,
 * the media type is listed for it, and a JSON body validates against the declared schema.
 */
export function expectMatchesContract(
  pathTemplate: string,
  method: 'get' | 'post',
  response: HttpResponse,
): void {
  const paths = OPENAPI_DOCUMENT.paths as unknown as Record<
    string,
    Record<string, OperationResponses>
  >;
  const operation = paths[pathTemplate]?.[method];
  expect(operation, `${method} ${pathTemplate} is documented`).toBeDefined();
  const declared = operation?.responses[String(response.statusCode)];
  expect(declared, `${method} ${pathTemplate} documents ${response.statusCode}`).toBeDefined();
  if (!response.body) return;
  const mediaType = String(response.headers['content-type']).split(';')[0]?.trim() ?? '';
  const content = declared?.content?.[mediaType];
  expect(content, `${response.statusCode} documents ${mediaType}`).toBeDefined();
  if (!mediaType.endsWith('json') || !content) return;
  const { schema } = content;
  const validate =
    typeof schema.$ref === 'string'
      ? ajv.getSchema(`${DOCUMENT_ID}${schema.$ref}`)
      : ajv.compile(schema);
  if (!validate) throw new Error(`schema ${JSON.stringify(schema)} not found`);
  const valid = validate(JSON.parse(response.body));
  expect(validate.errors ?? [], `${method} ${pathTemplate} ${response.statusCode} body`).toEqual(
    [],
  );
  expect(valid).toBe(true);
}
