import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startServer,
  type TestServer,
} from '../support/test-server.js';

const run = promisify(execFile);
const root = process.cwd();

/** What test/typed-client/client.ts prints. */
interface ClientRun {
  accountId: string;
  contactIds: string[];
  lastName: string;
  pages: { names: string[]; accountIds: (string | null)[]; nextCursor: string | null }[];
}

/**
 * Types generated from the checked-in document by openapi-typescript must carry a strict client
 * program through the compiler, and that program must then work against the real server.
 */
describe('a client typed from the API document', () => {
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relasi-typed-client-'));
    // The program resolves openapi-fetch and @types/node as it would in a client's project.
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    for (const file of ['client.ts', 'tsconfig.json'])
      copyFileSync(join(root, 'test/typed-client', file), join(dir, file));
    server = await startServer();
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates types, compiles the client under --strict and runs it', async () => {
    await run(process.execPath, [
      join(root, 'node_modules/openapi-typescript/bin/cli.js'),
      join(root, 'openapi/openapi.json'),
      // A default on a create body's field means the server fills it in, not that a client
      // must send it; the body schemas are shared components, which the generator would
      // otherwise read as required.
      '--default-non-nullable',
      'false',
      '--output',
      join(dir, 'api.ts'),
    ]);
    expect(readFileSync(join(dir, 'api.ts'), 'utf8')).toContain('"/api/v1/contacts"');

    const compiled = await run(process.execPath, [
      join(root, 'node_modules/typescript/bin/tsc'),
      '--project',
      join(dir, 'tsconfig.json'),
      '--strict',
      '--noEmit',
      '--pretty',
      'false',
    ]).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? String(e) }));
    expect(compiled.stdout).toBe('');

    // Type-checked above; to run it, only the types need stripping.
    const source = readFileSync(join(dir, 'client.ts'), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(dir, 'client.js'), outputText);
    const { stdout } = await run(process.execPath, [
      join(dir, 'client.js'),
      server.url,
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
    ]);
    const result = JSON.parse(stdout) as ClientRun;

    expect(result.contactIds).toHaveLength(2);
    expect(result.pages).toEqual([
      {
        names: [`Budi ${result.lastName}`],
        accountIds: [result.accountId],
        nextCursor: expect.any(String),
      },
      { names: [`Sari ${result.lastName}`], accountIds: [result.accountId], nextCursor: null },
    ]);
    const stored = await server.db.query<{ id: string }>(
      'SELECT id FROM contacts WHERE last_name = $1 AND account_id = $2 ORDER BY first_name',
      [result.lastName, result.accountId],
    );
    expect(stored.rows.map((r) => r.id).sort()).toEqual([...result.contactIds].sort());
  });
});
