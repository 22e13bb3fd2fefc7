import { PROBLEMS, type ProblemCode } from './problem-catalog.js';

export interface FieldError {
  field: string;
  /** Stable machine code of the rule that failed, e.g. `maxLength`, `unknownField`. */
  rule: string;
  /** English message; localized when rendered. */
  message: string;
  params?: Record<string, unknown>;
}

/**
 * The one error type services throw. The exception filter renders it as problem+json in the
 * caller's language; `params` fill the catalogue's message and `extensions` become extra
 * members of the problem (e.g. `existingId` of a duplicate).
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly params: Record<string, unknown> = {},
    readonly errors?: FieldError[],
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
    this.status = PROBLEMS[code].status;
  }

  static validation(errors: FieldError[]): AppError {
    return new AppError('validation_failed', {}, errors);
  }

  static field(
    field: string,
    rule: string,
    message: string,
    params?: Record<string, unknown>,
  ): AppError {
    return AppError.validation([{ field, rule, message, params }]);
  }

  static notFound(entity: string, id: string): AppError {
    return new AppError('not_found', { entity, id });
  }

  static forbidden(action: string, entity: string): AppError {
    return new AppError('forbidden', { action, entity });
  }
}
