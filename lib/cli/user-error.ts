/**
 * An error the user can fix (bad path, bad JSON, missing setting). The CLI prints
 * its message as one line, then its hint, and never a stack trace unless --verbose.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;
