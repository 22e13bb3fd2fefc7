import { AppError } from './app-error.js';
import { checkIfMatch } from './etag.js';
import { negotiateLocale } from './locale.js';
import { renderProblem } from './problem-renderer.js';

const req = (lang?: string) => ({
  id: 'r1',
  url: '/api/v1/contacts?x=1',
  method: 'GET',
  headers: lang ? { 'accept-language': lang } : {},
});

describe('renderProblem', () => {
  it('renders an AppError as RFC 9457 problem+json in the caller language', () => {
    const p = renderProblem(AppError.notFound('contact', 'abc'), req('id'), 'en', 1024);
    expect(p.status).toBe(404);
    expect(p.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(p.body).toMatchObject({
      type: 'urn:relasi:problem:not-found',
      title: 'Tidak ditemukan',
      detail: 'Tidak ada contact dengan id abc.',
      instance: '/api/v1/contacts',
      requestId: 'r1',
    });
  });

  it.each([
    [{ code: '57014' }, 503, 'query_timeout'],
    [
      { driverError: { code: '23505', detail: 'Key (email_normalized)=(x) already exists.' } },
      409,
      'unique_violation',
    ],
    [{ code: '22P02' }, 400, 'invalid_query'],
    [{ code: 'ECONNREFUSED' }, 503, 'service_unavailable'],
    [
      new Error('Client has encountered a connection error and is not queryable'),
      503,
      'service_unavailable',
    ],
    [{ code: 'FST_ERR_CTP_BODY_TOO_LARGE' }, 413, 'payload_too_large'],
    [new Error('boom'), 500, 'internal_error'],
  ])('maps %o to %i %s', (err, status, code) => {
    const p = renderProblem(err, req(), 'en', 1024);
    expect(p.status).toBe(status);
    expect(p.body.code).toBe(code);
    expect(p.unexpected).toBe(status === 500);
  });

  it('answers 503 for a transaction whose connection died, and still logs it', () => {
    const released = Object.assign(new Error('Query runner already released.'), {
      name: 'QueryRunnerAlreadyReleasedError',
    });
    const p = renderProblem(released, req(), 'en', 1024);
    expect(p.status).toBe(503);
    expect(p.body.code).toBe('service_unavailable');
    expect(p.unexpected).toBe(true);
  });

  it('never leaks a stack trace', () => {
    const p = renderProblem(new Error('secret internals'), req(), 'en', 1024);
    expect(JSON.stringify(p.body)).not.toContain('secret internals');
  });
});

describe('negotiateLocale', () => {
  it('honours q-values and falls back', () => {
    expect(negotiateLocale('fr;q=1, id;q=0.8, en;q=0.5', 'en')).toBe('id');
    expect(negotiateLocale('de', 'id')).toBe('id');
    expect(negotiateLocale(undefined, 'en')).toBe('en');
  });
});

describe('checkIfMatch', () => {
  it('passes a matching or absent tag and refuses a stale one with 412', () => {
    expect(() => checkIfMatch('"3"', 3)).not.toThrow();
    expect(() => checkIfMatch('W/"3"', 3)).not.toThrow();
    expect(() => checkIfMatch(undefined, 3)).not.toThrow();
    expect(() => checkIfMatch('"2"', 3)).toThrow(expect.objectContaining({ status: 412 }) as Error);
  });
});
