import { z } from 'zod';
import { referralJsonSchema } from '../../referral/record.js';
import { loginBodySchema } from '../auth/auth.js';
import { documentedAdminRoutes, type DocumentedRoute } from './openapi-admin.js';
import { responseComponents, successContent } from './openapi-responses.js';
import { consoleRoutes } from './routes.js';

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'reason', 'message'],
      properties: { code: { type: 'integer' }, reason: { type: 'string' }, message: { type: 'string' } },
    },
  },
};

const errors = {
  '400': { description: 'Invalid query or body', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '401': { description: 'Not authenticated', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '403': {
    description: 'CSRF check failed, or another counsellor owns the referral',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
  '404': {
    description: "Unknown id, or another organisation's referral (indistinguishable)",
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  return rest;
}

function queryParameters(schema: z.ZodType | undefined) {
  if (!schema) return [];
  const object = jsonSchema(schema);
  const properties = (object.properties ?? {}) as Record<string, unknown>;
  const required = new Set((object.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({ name, in: 'query', required: required.has(name), schema: property }));
}

function pathParameters(schema: z.ZodType | undefined) {
  if (!schema) return [];
  const properties = (jsonSchema(schema).properties ?? {}) as Record<string, unknown>;
  return Object.entries(properties).map(([name, property]) => ({ name, in: 'path', required: true, schema: property }));
}

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

/** One operation of the admin area (and the rest outside the referral table), from its schemas. */
function documentedOperation(route: DocumentedRoute): Record<string, unknown> {
  const access = route.access ?? 'admin';
  const parameters = [...pathParameters(route.params), ...queryParameters(route.query)];
  const success = {
    description: 'Success',
    ...(route.produces ? { content: { [route.produces]: { schema: { type: 'string' } } } } : successContent(`${route.method} ${openApiPath(route.path)}`)),
  };
  const refusals = Object.fromEntries(Object.entries(route.refusals ?? {}).map(([status, description]) => [status, { description, content: errorContent }]));
  return {
    summary: access === 'admin' ? `${route.summary}. Administrators only.` : route.summary,
    ...(access === 'public' ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    // Optional where the route takes no body at all (`{}` or nothing).
    ...(route.body
      ? { requestBody: { required: !route.body.safeParse(undefined).success, content: { 'application/json': { schema: jsonSchema(route.body) } } } }
      : {}),
    responses: {
      [String(route.success ?? 200)]: success,
      ...(route.body || route.query ? { '400': errors['400'] } : {}),
      ...(access === 'public' ? {} : { '401': errors['401'] }),
      ...(access === 'admin' ? { '403': { description: 'Not an administrator (admins_only), or the CSRF check failed', content: errorContent } } : {}),
      ...(route.params ? { '404': { description: "Unknown id, or another organisation's (indistinguishable)", content: errorContent } } : {}),
      ...refusals,
    },
  };
}

let cached: Record<string, unknown> | undefined;

/**
 * The OpenAPI 3.1 description of /console/api: the referral routes from the table that builds
 * their router, every other route from `documentedAdminRoutes` (the schemas its router validates
 * with). test/console/openapi.test.ts compares it with what the started app mounts.
 */
export function consoleOpenApi(): Record<string, unknown> {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {
    '/login': {
      post: {
        summary: 'Log in; sets the HttpOnly session cookie and returns the CSRF token to send as X-CSRF-Token',
        security: [],
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(loginBodySchema) } } },
        responses: {
          '200': { description: 'Logged in', ...successContent('post /login') },
          '401': errors['401'],
          '429': { description: 'Locked out after repeated failures, or too many attempts' },
        },
      },
    },
    '/logout': {
      post: {
        summary: 'Log out; the session is revoked at once',
        responses: { '204': { description: 'Logged out' }, '401': errors['401'], '403': errors['403'] },
      },
    },
    '/me': { get: { summary: 'The calling user', responses: { '200': { description: 'The user', ...successContent('get /me') }, '401': errors['401'] } } },
    '/openapi.json': {
      get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1', ...successContent('get /openapi.json') } } },
    },
  };
  for (const route of documentedAdminRoutes) (paths[openApiPath(route.path)] ??= {})[route.method] = documentedOperation(route);
  for (const route of consoleRoutes) {
    const path = openApiPath(route.path);
    const parameters = [
      ...(route.path.includes(':id') ? [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }] : []),
      ...queryParameters(route.query),
    ];
    const isExport = route.path === '/referrals/:id/export';
    (paths[path] ??= {})[route.method] = {
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: false, content: { 'application/json': { schema: jsonSchema(route.body) } } } } : {}),
      responses: {
        [String(route.success ?? 200)]: {
          description: 'Success',
          // The export is a download: the record as JSON, or one CSV row.
          ...(isExport
            ? { content: { 'application/json': { schema: { $ref: '#/components/schemas/Referral' } }, 'text/csv': { schema: { type: 'string' } } } }
            : successContent(`${route.method} ${path}`)),
        },
        ...errors,
        ...(route.method !== 'get'
          ? {
              '409': {
                description: 'Claimed by someone else, or not allowed in the current status',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
              },
            }
          : {}),
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Homeward console API',
      version: '1',
      description:
        "Referrals of the caller's organisation, and its administration (admins only). Session cookie (with X-CSRF-Token on changes) or Authorization: Bearer <API key>.",
    },
    servers: [{ url: '/console/api' }],
    security: [{ bearerAuth: [] }, { cookieAuth: [] }],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A personal API key from `npm run admin -- apikey:create --email E`' },
        cookieAuth: { type: 'apiKey', in: 'cookie', name: 'hw_session' },
      },
      schemas: { Error: errorSchema, Referral: inlineReferralSchema(), ...responseComponents },
    },
    paths,
  };
  return cached;
}

/**
 * The record's schema (also served alone at /schemas/referral.json) inlined for the document:
 * without its `$id` and `$schema`, which would make it a separate resource to resolve.
 */
function inlineReferralSchema(): Record<string, unknown> {
  const { $id: _id, $schema: _schema, ...rest } = referralJsonSchema();
  return { ...rest, description: 'The referral record; the same schema is served alone at /schemas/referral.json' };
}

/** Express `/admin/users/:id` -> OpenAPI `/admin/users/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}
