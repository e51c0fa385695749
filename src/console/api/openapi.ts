import { z } from 'zod';
import { loginBodySchema } from '../auth/auth.js';
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
  '403': { description: 'CSRF check failed, or another counsellor owns the referral', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '404': { description: "Unknown id, or another organisation's referral (indistinguishable)", content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });
  return rest;
}

function queryParameters(schema: z.ZodType | undefined) {
  if (!schema) return [];
  const object = jsonSchema(schema);
  const properties = (object.properties ?? {}) as Record<string, unknown>;
  const required = new Set((object.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({ name, in: 'query', required: required.has(name), schema: property }));
}

let cached: Record<string, unknown> | undefined;

/** The OpenAPI 3.0 description of /console/api, generated from the same table that builds the router. */
export function consoleOpenApi(): Record<string, unknown> {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {
    '/login': {
      post: {
        summary: 'Log in; sets the HttpOnly session cookie and returns the CSRF token to send as X-CSRF-Token',
        security: [],
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(loginBodySchema) } } },
        responses: { '200': { description: 'Logged in' }, '401': errors['401'], '429': { description: 'Locked out after repeated failures, or too many attempts' } },
      },
    },
    '/logout': { post: { summary: 'Log out; the session is revoked at once', responses: { '204': { description: 'Logged out' }, '401': errors['401'], '403': errors['403'] } } },
    '/me': { get: { summary: 'The calling user', responses: { '200': { description: 'The user' }, '401': errors['401'] } } },
  };
  for (const route of consoleRoutes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const parameters = [
      ...(route.path.includes(':id') ? [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }] : []),
      ...queryParameters(route.query),
    ];
    const isRecord = route.path === '/referrals/:id' && route.method === 'get';
    (paths[path] ??= {})[route.method] = {
      summary: route.summary,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: false, content: { 'application/json': { schema: jsonSchema(route.body) } } } } : {}),
      responses: {
        [String(route.success ?? 200)]: {
          description: 'Success',
          ...(isRecord ? { content: { 'application/json': { schema: { $ref: '/schemas/referral.json' } } } } : {}),
        },
        ...errors,
        ...(route.method !== 'get' ? { '409': { description: 'Claimed by someone else, or not allowed in the current status', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } } : {}),
      },
    };
  }
  cached = {
    openapi: '3.0.3',
    info: { title: 'Homeward console API', version: '1', description: "Referrals of the caller's organisation. Session cookie (with X-CSRF-Token on changes) or Authorization: Bearer <API key>." },
    servers: [{ url: '/console/api' }],
    security: [{ bearerAuth: [] }, { cookieAuth: [] }],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A personal API key from `npm run admin -- apikey:create --email E`' },
        cookieAuth: { type: 'apiKey', in: 'cookie', name: 'hw_session' },
      },
      schemas: { Error: errorSchema },
    },
    paths,
  };
  return cached;
}
