import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { factories } from '../support/factories.js';
import { runUntilExit, startServer, type TestServer } from '../support/test-server.js';

const CONFIG = `
version: 1
objects:
  - entity: projects
    label: { en: Project, id: Proyek }
    labelPlural: { en: Projects, id: Proyek }
    fields:
      - { code: budget, type: money, label: { en: Budget }, required: true }
      - code: stage
        type: picklist
        label: { en: Stage }
        default: planned
        indexed: true
        options: [{ value: planned, label: { en: Planned } }, { value: running, label: { en: Running } }, { value: done, label: { en: Done } }]
      - { code: account, type: reference, references: accounts, label: { en: Account } }
      - { code: code, type: text, unique: true, label: { en: Code }, maxLength: 20 }
customization:
  projects:
    rules:
      - field: description
        requiredWhen: { field: customFields.stage, op: eq, value: done }
`;

describe('custom objects declared in crm.config.yaml', () => {
  let server: TestServer;
  let auth: { authorization: string };
  const file = join(tmpdir(), `relasi-objects-${process.pid}.yaml`);
  writeFileSync(file, CONFIG);

  beforeAll(async () => {
    server = await startServer({ env: { CRM_CONFIG: file, CRM_PRINCIPAL_CACHE_TTL_MS: '0' } });
    auth = { authorization: `Bearer ${await server.login()}` };
  });
  afterAll(async () => {
    await server.stop();
  });

  it('gets the full REST contract: create, read, update with If-Match, list, delete, restore, history', async () => {
    const account = await factories(server, auth.authorization.slice(7)).account({
      name: 'Client Co',
    });
    const created = await server.http
      .post('/api/v1/projects')
      .set(auth)
      .send({
        name: 'Warehouse migration',
        customFields: {
          budget: { amount: '150000000.00', currency: 'IDR' },
          account: account.id,
          code: 'WM-1',
        },
      });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/projects/${created.body.id as string}`);
    expect(created.body).toMatchObject({
      name: 'Warehouse migration',
      version: 1,
      customFields: { stage: 'planned', account: account.id, code: 'WM-1' },
    });
    const id = created.body.id as string;
    const stale = await server.http
      .patch(`/api/v1/projects/${id}`)
      .set(auth)
      .set('if-match', '"9"')
      .send({ customFields: { stage: 'running' } });
    expect(stale.status).toBe(412);
    const updated = await server.http
      .patch(`/api/v1/projects/${id}`)
      .set(auth)
      .set('if-match', '"1"')
      .send({ customFields: { stage: 'running' } });
    expect(updated.status).toBe(200);
    expect(updated.body.customFields.stage).toBe('running');
    const list = await server.http
      .get('/api/v1/projects?filter[customFields.stage][eq]=running&sort=name')
      .set(auth);
    expect(list.status).toBe(200);
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([id]);
    const history = await server.http.get(`/api/v1/projects/${id}/history`).set(auth);
    expect(history.body.data[0].changes).toEqual([
      { field: 'customFields.stage', old: 'planned', new: 'running' },
    ]);
    await server.http.delete(`/api/v1/projects/${id}`).set(auth).expect(204);
    expect((await server.http.get(`/api/v1/projects/${id}`).set(auth)).status).toBe(404);
    expect((await server.http.post(`/api/v1/projects/${id}/restore`).set(auth)).status).toBe(200);
    const events = await server.db.query(
      `SELECT type FROM domain_events WHERE record_id = $1 ORDER BY occurred_at, id`,
      [id],
    );
    expect(events.rows.map((r: { type: string }) => r.type)).toEqual([
      'project.created',
      'project.updated',
      'project.deleted',
      'project.restored',
    ]);
  });

  it('validates its fields like any custom field, including required, unique, references and rules', async () => {
    const missing = await server.http
      .post('/api/v1/projects')
      .set(auth)
      .send({ name: 'No budget' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([
      expect.objectContaining({ field: 'customFields.budget', code: 'required' }),
    ]);
    const budget = { budget: { amount: '1.00', currency: 'IDR' } };
    const badRef = await server.http
      .post('/api/v1/projects')
      .set(auth)
      .send({
        name: 'Bad ref',
        customFields: { ...budget, account: '0192f000-0000-7000-8000-00000000f00d' },
      });
    expect(badRef.body.errors).toEqual([
      expect.objectContaining({ field: 'customFields.account', code: 'notFound' }),
    ]);
    await server.http
      .post('/api/v1/projects')
      .set(auth)
      .send({ name: 'First', customFields: { ...budget, code: 'DUP-1' } })
      .expect(201);
    const dup = await server.http
      .post('/api/v1/projects')
      .set(auth)
      .send({ name: 'Second', customFields: { ...budget, code: 'DUP-1' } });
    expect(dup.status).toBe(409);
    const rule = await server.http
      .post('/api/v1/projects')
      .set(auth)
      .send({ name: 'Done', customFields: { ...budget, stage: 'done' } });
    expect(rule.status).toBe(400);
    expect(rule.body.errors[0]).toMatchObject({ field: 'description', code: 'requiredWhen' });
    const unknown = await server.http
      .post('/api/v1/projects')
      .set(auth)
      .send({ name: 'X', colour: 'red', customFields: budget });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'colour', code: 'unknownField' });
  });

  it('keeps its records apart from other record types and supports bulk', async () => {
    const bulk = await server.http
      .post('/api/v1/projects/bulk')
      .set(auth)
      .send({
        items: [
          { name: 'B1', customFields: { budget: { amount: '1', currency: 'IDR' } } },
          { name: 'B2' },
        ],
      });
    expect(bulk.body.results.map((r: { status: number }) => r.status)).toEqual([201, 400]);
    const contact = await factories(server, auth.authorization.slice(7)).contact();
    expect((await server.http.get(`/api/v1/projects/${contact.id}`).set(auth)).status).toBe(404);
  });

  it('is governed by role permissions like built-in records', async () => {
    const role = await server.http
      .post('/api/v1/roles')
      .set(auth)
      .send({
        name: 'Project viewer',
        permissions: {
          entities: {
            projects: {
              create: 'none',
              read: 'all',
              update: 'none',
              delete: 'none',
              reassign: false,
            },
          },
          fields: { projects: { 'customFields.budget': 'hidden' } },
        },
      });
    expect(role.status).toBe(201);
    await server.http
      .post('/api/v1/users')
      .set(auth)
      .send({
        email: 'viewer@example.com',
        password: 'viewer-password-1',
        firstName: 'V',
        lastName: 'V',
        roleId: role.body.id,
      })
      .expect(201);
    const token = await server.login('viewer@example.com', 'viewer-password-1');
    const theirs = { authorization: `Bearer ${token}` };
    const list = await server.http.get('/api/v1/projects').set(theirs);
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThan(0);
    expect(
      list.body.data.every(
        (p: { customFields: Record<string, unknown> }) => !('budget' in p.customFields),
      ),
    ).toBe(true);
    const create = await server.http
      .post('/api/v1/projects')
      .set(theirs)
      .send({ name: 'Nope', customFields: { budget: { amount: '1', currency: 'IDR' } } });
    expect(create.status).toBe(403);
    const analyst = await server.http.post('/api/v1/users').set(auth).send({
      email: 'analyst@example.com',
      password: 'analyst-password-1',
      firstName: 'A',
      lastName: 'A',
      roleId: '0192f000-0000-7000-8000-000000000006',
    });
    expect(analyst.status).toBe(201);
    const analystToken = await server.login('analyst@example.com', 'analyst-password-1');
    expect(
      (await server.http.get('/api/v1/projects').set({ authorization: `Bearer ${analystToken}` }))
        .status,
    ).toBe(403);
  });

  it('appears in the OpenAPI document with its own schemas and an index for its indexed field', async () => {
    const doc = await server.http.get('/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/projects',
        '/api/v1/projects/{id}',
        '/api/v1/projects/bulk',
      ]),
    );
    const custom = doc.body.components.schemas.CreateProjectsDto.properties.customFields;
    expect(Object.keys(custom.properties).sort()).toEqual(['account', 'budget', 'code', 'stage']);
    const indexes = await server.db.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'cf\\_projects%' ORDER BY 1`,
    );
    expect(indexes.rows.map((r: { indexname: string }) => r.indexname)).toEqual([
      'cf_projects_code_key',
      'cf_projects_stage_idx',
    ]);
    expect(indexes.rows[1].indexdef).toContain("WHERE (object = 'projects'::text)");
  });

  it('refuses an object that takes a built-in path', async () => {
    const bad = join(tmpdir(), `relasi-objects-bad-${process.pid}.yaml`);
    writeFileSync(
      bad,
      'version: 1\nobjects:\n  - { entity: accounts, label: { en: Account } }\n  - { entity: rooms, label: { en: Room } }\n  - { entity: rooms, label: { en: Room } }\n',
    );
    const { code, output } = await runUntilExit({ env: { CRM_CONFIG: bad } });
    expect(code).toBe(2);
    expect(output).toContain('"accounts" is a built-in path');
    expect(output).toContain('"rooms" is declared twice');
  });
});
