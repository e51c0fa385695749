// /console/api/openapi.json against the routes the started app really mounts, both ways, so a
// route added to any router (the referral table, the admin area, privacy, setup) cannot go undocumented.
import type { RequestListener } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { openApiPath } from '../../src/console/api/openapi.js';
import { startTestApp } from '../support/app.js';

interface Operation {
  summary?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { required: boolean; content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[]; additionalProperties?: boolean } }> };
  responses: Record<string, unknown>;
}
interface Document {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
}

const API = '/console/api';
let app: RunningApp;
let doc: Document;

beforeAll(async () => {
  app = await startTestApp({ RETENTION_INTERVAL_MINUTES: '0' });
  const response = await fetch(`${app.url}${API}/openapi.json`);
  expect(response.status).toBe(200);
  doc = (await response.json()) as Document;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

/*
 * Express 5 keeps what is mounted in `app.router.stack`: a route layer has `route.path` and
 * `route.methods`; a router mounted with `app.use(path, router)` is a layer with `rawPath` whose
 * `handle.stack` holds its own layers.
 */
interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: unknown };
}

function isLayerList(value: unknown): value is Layer[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null);
}

function mountedRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route && typeof layer.route.path === 'string') {
      const path = `${prefix}${layer.route.path}`;
      return Object.keys(layer.route.methods).map((method) => `${method} ${path}`);
    }
    const inner = layer.handle?.stack;
    if (!isLayerList(inner)) return [];
    const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    return mountedRoutes(inner, `${prefix}${mount}`);
  });
}

function apiRoutesOfTheApp(): string[] {
  const [listener] = app.server.listeners('request') as RequestListener[];
  const stack = (listener as unknown as { router?: { stack?: unknown } }).router?.stack;
  if (!isLayerList(stack)) throw new Error('the app has no router stack (not express 5?)');
  return mountedRoutes(stack)
    .filter((route) => route.split(' ')[1]!.startsWith(`${API}/`))
    .map((route) => {
      const [method, path] = route.split(' ');
      return `${method} ${openApiPath(path!.slice(API.length))}`;
    });
}

function documentedRoutes(): string[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
}

describe('the console OpenAPI document', () => {
  it('documents every route mounted below /console/api, and nothing that is not mounted', () => {
    const mounted = [...new Set(apiRoutesOfTheApp())].sort();
    // The walk itself must see the routers of each kind, or it would prove nothing.
    expect(mounted).toEqual(expect.arrayContaining(['post /login', 'get /referrals/{id}', 'get /admin/users', 'put /privacy/retention', 'get /locales', 'get /events']));
    expect(doc.servers).toEqual([{ url: API }]);
    expect(mounted.filter((route) => !documentedRoutes().includes(route)), 'mounted but not documented').toEqual([]);
    expect(documentedRoutes().filter((route) => !mounted.includes(route)), 'documented but not mounted').toEqual([]);
  });

  it('declares a path parameter for every {name} in a path, and only those', () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      for (const [method, operation] of Object.entries(operations)) {
        const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
        expect(declared.map((parameter) => parameter.name).sort(), `${method} ${path}`).toEqual(names);
        expect(declared.every((parameter) => parameter.required === true), `${method} ${path}`).toBe(true);
      }
    }
  });

  it("describes the admin routes from their zod schemas: bodies, queries, who may call, and each route's own refusals", () => {
    const createUser = doc.paths['/admin/users']?.post;
    const body = createUser?.requestBody?.content['application/json']?.schema;
    expect(createUser?.requestBody?.required).toBe(true);
    expect(Object.keys(body?.properties ?? {}).sort()).toEqual(['displayName', 'email', 'role']);
    expect(body?.required?.sort()).toEqual(['email', 'role']);
    expect(body?.additionalProperties).toBe(false);
    expect(Object.keys(createUser?.responses ?? {})).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));

    // A password reset takes no body: documented, but not required.
    expect(doc.paths['/admin/users/{id}/password']?.post?.requestBody?.required).toBe(false);

    const analytics = doc.paths['/admin/analytics']?.get;
    expect(analytics?.parameters?.filter((parameter) => parameter.required).map((parameter) => parameter.name).sort()).toEqual(['from', 'to']);

    // First-run setup is public; everything else needs a login.
    expect(doc.paths['/setup']?.post?.security).toEqual([]);
    expect(doc.paths['/admin/organisation']?.patch?.security).toBeUndefined();
    expect(doc.paths['/admin/organisation']?.patch?.responses['403']).toBeDefined();
    expect(doc.paths['/events']?.get?.responses['403']).toBeUndefined();
  });
});
