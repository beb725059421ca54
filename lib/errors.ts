/**
 * The project's error types, at its root so that every layer imports them
 * downwards, as OpenFn's kit keeps errors.ts at each package's root.
 */

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
