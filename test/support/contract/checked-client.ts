import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { Response } from 'supertest';
import type { ApiDocument, Drift } from './api-document.js';

/**
 * Every response an end-to-end test receives is held to the API document. The mode comes from
 * RELASI_CONTRACT: `enforce` (default) fails the request that drifted, `report` appends each
 * drift as a JSON line to RELASI_CONTRACT_REPORT (default ./contract-report.jsonl), `off` skips.
 */
export type ContractMode = 'enforce' | 'report' | 'off';

export function contractMode(): ContractMode {
  const mode = process.env.RELASI_CONTRACT ?? 'enforce';
  if (mode === 'enforce' || mode === 'report' || mode === 'off') return mode;
  throw new Error(`RELASI_CONTRACT must be enforce, report or off, not "${mode}"`);
}

function reportFile(): string {
  return process.env.RELASI_CONTRACT_REPORT ?? join(process.cwd(), 'contract-report.jsonl');
}

type Agent = ReturnType<typeof request>;
type Callback = (err: Error | null, res?: Response) => void;
/** supertest runs its own expectations in `assert`, then hands the outcome to the caller. */
interface AssertingTest {
  method: string;
  /** The body `.send()` was given. */
  _data?: unknown;
  assert(resError: Error | null, res: Response | undefined, fn?: Callback): void;
}

export class ContractDriftError extends Error {
  constructor(
    readonly drift: Drift,
    origin: { stack?: string },
  ) {
    super(
      `The response does not keep to the API document:\n` +
        `  ${drift.operation}\n  answered ${drift.status} ${drift.contentType || '(no content type)'} ` +
        `to ${drift.method} ${drift.path}\n` +
        drift.problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ContractDriftError';
    // Point at the test line that sent the request, not at this file.
    this.stack = `${this.name}: ${this.message}\n${(origin.stack ?? '').split('\n').slice(1).join('\n')}`;
  }
}

function testName(): { file?: string; test?: string } {
  const state = (
    globalThis as { expect?: { getState(): { testPath?: string; currentTestName?: string } } }
  ).expect?.getState();
  return {
    file: state?.testPath?.replace(`${process.cwd()}/`, ''),
    test: state?.currentTestName,
  };
}

function hasBody(res: Response): boolean {
  if (res.status === 204 || res.status === 304) return false;
  const length = res.headers['content-length'] as string | undefined;
  if (length !== undefined) return Number(length) > 0;
  return Boolean(res.text) || Buffer.isBuffer(res.body) || Boolean(res.headers['content-type']);
}

function instrument(
  test: AssertingTest,
  url: string,
  document: () => Promise<ApiDocument>,
  origin: { stack?: string },
) {
  const assert = test.assert.bind(test);
  test.assert = (resError, res, fn) =>
    assert(resError, res, (err, response) => {
      // A test's own expectations speak first; the contract only checks what they accepted.
      if (err || !response) return fn?.(err, response);
      document()
        .then((doc) => {
          const drift = doc.check({
            method: test.method,
            url,
            status: response.status,
            contentType: response.headers['content-type'],
            body: response.body,
            hasBody: hasBody(response),
            requestBody: test._data,
          });
          if (!drift) return fn?.(null, response);
          if (contractMode() === 'enforce') return fn?.(new ContractDriftError(drift, origin));
          appendFileSync(reportFile(), `${JSON.stringify({ ...testName(), ...drift })}\n`);
          fn?.(null, response);
        })
        .catch((e: unknown) => fn?.(e as Error));
    });
}

/** supertest bound to `baseUrl`, with every response checked against `document()`. */
export function checkedClient(baseUrl: string, document: () => Promise<ApiDocument>): Agent {
  const agent = request(baseUrl);
  if (contractMode() === 'off') return agent;
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const send = (path: string) => {
        const origin: { stack?: string } = {};
        Error.captureStackTrace(origin, send);
        const test = (value as (p: string) => AssertingTest).call(target, path);
        instrument(test, path, document, origin);
        return test;
      };
      return send;
    },
  });
}
