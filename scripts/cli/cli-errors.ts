/** Exit codes of `relasi <command>`, the same for every command so scripts can rely on them. */
export const EXIT = {
  ok: 0,
  /** Something went wrong that the operator did not ask for: a bug, a lost connection. */
  failure: 1,
  /** The command line or the config is wrong; nothing was done. */
  usage: 2,
  /** The request is understood but the data is not in a state that allows it: nothing was done. */
  wrongState: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected refusal: printed without a stack trace, with its exit code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}
