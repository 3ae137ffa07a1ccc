/**
 * Exit codes, documented in README and `policylayer --help`:
 * 0 ok; 1 findings, failed expectations or a denied call; 2 usage error, unreadable input or internal error.
 */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** An error meant for the user: printed as one line, never with a stack trace. */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.usage) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** Wrong flags or arguments. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** A file that cannot be read or understood; `where` is `file` or `file:line:column`. */
export class InputError extends UserError {
  readonly where: string;
  /** The message without the `where: ` prefix. */
  readonly detail: string;
  constructor(where: string, message: string) {
    super(`${where}: ${message}`, EXIT.usage);
    this.name = 'InputError';
    this.where = where;
    this.detail = message;
  }
}
