/** Exit codes of `relasi <command>`, the same for every command so scripts can rely on them. */
export const EXIT = {
  ok: 0,
  /** The command ran and did not succeed: a refusal, a bad file, a failed step. */
  failure: 1,
  /** The command line is wrong; nothing was done. */
  usage: 2,
  /** The database cannot be reached (refused, unknown host, bad credentials, no such database). */
  unreachable: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected outcome other than success: printed without a stack trace, with its exit code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}

/** Network errors of the driver, and PostgreSQL's answers that mean "not this database". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // invalid_authorization_specification, invalid_password, invalid_catalog_name,
  // cannot_connect_now (starting up or shutting down)
  '28000',
  '28P01',
  '3D000',
  '57P03',
]);

/** Whether an error from opening a connection says the database is out of reach. */
export function isUnreachable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  if (e instanceof AggregateError) return e.errors.some(isUnreachable);
  return /timeout expired|Connection terminated/i.test(e.message);
}
