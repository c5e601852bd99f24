import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { openApiDocument } from '#shared/http/openapi.ts';
import type { HttpResponse } from '#shared/http/responses.ts';

const DOCUMENT_ID = 'openapi.json';
// The document's own keywords (openapi, paths, …) are not JSON Schema: strict mode stays off for it.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
const OPENAPI_DOCUMENT = openApiDocument();
ajv.addSchema(OPENAPI_DOCUMENT, DOCUMENT_ID);

interface DocumentedResponse {
  $ref?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: Record<string, unknown> }>;
}

interface OperationResponses {
  responses: Record<string, DocumentedResponse>;
}

const SHARED_RESPONSES = OPENAPI_DOCUMENT.components.responses as unknown as Record<
  string,
  DocumentedResponse
>;
const PATHS = OPENAPI_DOCUMENT.paths as unknown as Record<
  string,
  Record<string, OperationResponses>
>;

/**
 * Asserts a real response is one the OpenAPI document declares for the route: the status is listed,
 * the media type is listed for it, and a JSON body validates against the declared schema. A method
 * the path does not document must be answered 405, as `components.responses.MethodNotAllowed`
 * says, with an `Allow` header naming exactly the documented methods (and OPTIONS).
 */
export function expectMatchesContract(
  pathTemplate: string,
  method: string,
  response: HttpResponse,
): void {
  const item = PATHS[pathTemplate];
  expect(item, `${pathTemplate} is documented`).toBeDefined();
  const operation = item?.[method.toLowerCase()];
  if (!operation) {
    expect(response.statusCode, `${method} ${pathTemplate} is not documented`).toBe(405);
    const documented = Object.keys(item ?? {}).map((name) => name.toUpperCase());
    expect(String(response.headers.allow).split(', ').sort()).toEqual(
      [...documented, 'OPTIONS'].sort(),
    );
    expectBodyMatches(SHARED_RESPONSES.MethodNotAllowed, response, `${method} ${pathTemplate}`);
    return;
  }
  const declared = resolve(operation.responses[String(response.statusCode)]);
  expect(declared, `${method} ${pathTemplate} documents ${response.statusCode}`).toBeDefined();
  expectBodyMatches(declared, response, `${method} ${pathTemplate}`);
}

function resolve(declared: DocumentedResponse | undefined): DocumentedResponse | undefined {
  const name = declared?.$ref?.replace('#/components/responses/', '');
  return name === undefined ? declared : SHARED_RESPONSES[name];
}

function expectBodyMatches(
  declared: DocumentedResponse | undefined,
  response: HttpResponse,
  where: string,
): void {
  if (!response.body) return;
  const mediaType = String(response.headers['content-type']).split(';')[0]?.trim() ?? '';
  const content = declared?.content?.[mediaType];
  expect(content, `${where} ${response.statusCode} documents ${mediaType}`).toBeDefined();
  if (!mediaType.endsWith('json') || !content) return;
  const { schema } = content;
  const validate =
    typeof schema.$ref === 'string'
      ? ajv.getSchema(`${DOCUMENT_ID}${schema.$ref}`)
      : ajv.compile(schema);
  if (!validate) throw new Error(`schema ${JSON.stringify(schema)} not found`);
  const valid = validate(JSON.parse(response.body));
  expect(validate.errors ?? [], `${where} ${response.statusCode} body`).toEqual([]);
  expect(valid).toBe(true);
}
