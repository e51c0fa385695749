// /console/api/openapi.json against the routes the started app really mounts, both ways, so a
// route added to any router (the referral table, the admin area, privacy, setup) cannot go undocumented.
import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
// The standard validator of the issue (#19): it checks the document against the OpenAPI 3.1 schema
// and resolves every $ref, so an external or dangling reference fails here.
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { openApiPath } from '../../src/console/api/openapi.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { startTestApp } from '../support/app.js';
import { callConsole, loginToConsole, type ConsoleCaller } from '../support/console.js';
import { conversationWith, fullAnswers, newOrganisation } from '../handoff/support.js';

interface Operation {
  summary?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: {
    required: boolean;
    content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[]; additionalProperties?: boolean } }>;
  };
  responses: Record<string, unknown>;
}
interface Document {
  openapi: string;
  components: { schemas: Record<string, unknown> };
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
    expect(mounted).toEqual(
      expect.arrayContaining(['post /login', 'get /referrals/{id}', 'get /admin/users', 'put /privacy/retention', 'get /locales', 'get /events']),
    );
    expect(doc.servers).toEqual([{ url: API }]);
    expect(
      mounted.filter((route) => !documentedRoutes().includes(route)),
      'mounted but not documented',
    ).toEqual([]);
    expect(
      documentedRoutes().filter((route) => !mounted.includes(route)),
      'documented but not mounted',
    ).toEqual([]);
  });

  it('declares a path parameter for every {name} in a path, and only those', () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      for (const [method, operation] of Object.entries(operations)) {
        const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
        expect(declared.map((parameter) => parameter.name).sort(), `${method} ${path}`).toEqual(names);
        expect(
          declared.every((parameter) => parameter.required === true),
          `${method} ${path}`,
        ).toBe(true);
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
    expect(
      analytics?.parameters
        ?.filter((parameter) => parameter.required)
        .map((parameter) => parameter.name)
        .sort(),
    ).toEqual(['from', 'to']);

    // First-run setup is public; everything else needs a login.
    expect(doc.paths['/setup']?.post?.security).toEqual([]);
    expect(doc.paths['/admin/organisation']?.patch?.security).toBeUndefined();
    expect(doc.paths['/admin/organisation']?.patch?.responses['403']).toBeDefined();
    expect(doc.paths['/events']?.get?.responses['403']).toBeUndefined();
  });
});

describe('the console OpenAPI document, checked by a standard validator', () => {
  it('validates with @apidevtools/swagger-parser as OpenAPI 3.1, with no reference outside the document', async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    // validate() dereferences in place: a copy, so the other tests read the document as served.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]*)"/g)].map((match) => match[1]!);
    expect(refs.length).toBeGreaterThan(0);
    expect(
      refs.filter((ref) => !ref.startsWith('#/components/')),
      'references outside components',
    ).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain('.invalid');
    const referral = doc.components.schemas.Referral as { type?: string; properties?: Record<string, unknown>; $id?: string };
    expect(referral.type).toBe('object');
    expect(referral.$id).toBeUndefined();
    expect(Object.keys(referral.properties ?? {})).toEqual(expect.arrayContaining(['id', 'status', 'notes']));
  });

  it('describes the success body of every operation (none for a 204)', () => {
    const missing: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const successes = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
        expect(successes, `${method} ${path}`).toHaveLength(1);
        const [status, response] = successes[0]! as [string, { content?: Record<string, { schema?: unknown }> }];
        if (status === '204') {
          expect(response.content, `${method} ${path}`).toBeUndefined();
          continue;
        }
        const schemas = Object.values(response.content ?? {}).map((media) => media.schema);
        if (schemas.length === 0 || schemas.some((schema) => schema === undefined)) missing.push(`${method} ${path}`);
      }
    }
    expect(missing, 'operations without a response schema').toEqual([]);
  });
});

describe('the documented success bodies against what the running app answers', () => {
  const PASSWORD = 'a long enough password for the test';
  let operations: Document['paths'];
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)) && value.includes('T'));
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);

  beforeAll(async () => {
    operations = ((await SwaggerParser.dereference(structuredClone(doc) as never)) as unknown as Document).paths;
  });

  /** Calls `method path` and validates the answer against the documented JSON body of its success status. */
  async function expectDocumented(caller: ConsoleCaller, method: string, path: string, body?: unknown): Promise<unknown> {
    const documentedPath = path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}').split('?')[0]!;
    const operation = operations[documentedPath]?.[method];
    expect(operation, `${method} ${documentedPath} is documented`).toBeDefined();
    const answer = await callConsole(app.url, method.toUpperCase(), `${API}${path}`, caller, body);
    const [status, response] = Object.entries(operation!.responses).find(([code]) => code.startsWith('2'))! as [
      string,
      { content?: Record<string, { schema: object }> },
    ];
    expect(answer.status, `${method} ${path}: ${answer.text.slice(0, 200)}`).toBe(Number(status));
    const schema = response.content?.['application/json']?.schema;
    expect(schema, `${method} ${documentedPath} documents a JSON body`).toBeDefined();
    const validate = ajv.compile(schema!);
    expect(validate(answer.json), `${method} ${path}: ${JSON.stringify(validate.errors)}`).toBe(true);
    return answer.json;
  }

  it('the referral routes, the session routes and the admin reads answer what the document says', async () => {
    const organisationId = await newOrganisation(app.db, 'OpenAPI');
    const repo = createConsoleRepository(app.db.prisma);
    const passwordHash = await hashPassword(PASSWORD);
    const email = `openapi-admin-${randomUUID()}@example.org`;
    await repo.createUser({ organisationId, email, passwordHash, role: 'admin' });
    const conversation = await conversationWith(app.db, organisationId, fullAnswers);
    const { referral } = await app.handoff.handoffRequested(conversation, 'intake_completed');

    const login = await expectDocumented({}, 'post', '/login', { email, password: PASSWORD });
    expect(login).toMatchObject({ user: { email } });
    const session = await loginToConsole(app.url, email, PASSWORD);
    const caller: ConsoleCaller = { cookie: session.cookie, csrf: session.csrf };

    await expectDocumented(caller, 'get', '/me');
    const list = (await expectDocumented(caller, 'get', '/referrals')) as { referrals: { id: string }[] };
    expect(list.referrals.map((item) => item.id)).toContain(referral.id);
    await expectDocumented(caller, 'get', `/referrals/${referral.id}`);
    await expectDocumented(caller, 'get', `/referrals/${referral.id}/queue`);
    await expectDocumented(caller, 'post', `/referrals/${referral.id}/claim`, {});
    await expectDocumented(caller, 'post', `/referrals/${referral.id}/messages`, { text: 'Hello, I am here to help.' });
    await expectDocumented(caller, 'get', `/referrals/${referral.id}/transcript`);
    const eligibility = (await expectDocumented(caller, 'get', `/referrals/${referral.id}/eligibility?lang=de`)) as { programmes: { reasons: string[] }[] };
    expect(eligibility.programmes.flatMap((programme) => programme.reasons).join(' ')).not.toContain('eligibility:');
    await expectDocumented(caller, 'post', `/referrals/${referral.id}/notes`, { text: 'called back' });
    const notes = (await expectDocumented(caller, 'get', `/referrals/${referral.id}/notes`)) as { notes: unknown[] };
    expect(notes.notes).toHaveLength(1);
    await expectDocumented(caller, 'patch', `/referrals/${referral.id}`, { status: 'in_progress' });
    await expectDocumented(caller, 'post', `/referrals/${referral.id}/handback`, {});
    await expectDocumented(caller, 'post', `/referrals/${referral.id}/close`, { reason: 'helped' });
    await expectDocumented(caller, 'get', `/referrals/${referral.id}/export?format=json`);

    for (const path of [
      '/audit',
      '/privacy/retention',
      '/locales',
      '/counsellors',
      '/queue-settings',
      '/admin/flows',
      '/admin/organisation',
      '/admin/embedding',
      '/admin/programmes',
      '/admin/users',
      '/admin/api-keys',
      '/admin/webhooks',
    ]) {
      await expectDocumented(caller, 'get', path);
    }
    const created = (await expectDocumented(caller, 'post', '/admin/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['referral.closed'] })) as {
      webhook: { id: string };
    };
    await expectDocumented(caller, 'get', `/admin/webhooks/${created.webhook.id}/deliveries?limit=10`);
  });
});
