import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../errors.ts';

/** Paths in messages are shown relative to the working directory: shorter, still findable. */
export const displayPath = (file: string): string => {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
};

/** Reads a file, or fails with one line naming it. */
export async function readTextFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new UserError(`cannot read ${what} ${displayPath(file)}: ${why}`, `check the path of the ${what}`);
  }
}

/** Reads and parses a JSON file, or fails with one line naming it. */
export async function readJsonFile(file: string, what: string): Promise<unknown> {
  const text = await readTextFile(file, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UserError(`${what} ${displayPath(file)} is not valid JSON: ${describeJsonError(e as Error, text)}`, `fix the JSON in ${displayPath(file)}`);
  }
}

/**
 * Where the JSON breaks, as line:column. V8's own message quotes the text
 * around the error, which in a credentials file may be a password: it is
 * never repeated.
 */
function describeJsonError(error: Error, text: string): string {
  const position = /position (\d+)/.exec(error.message)?.[1];
  if (position === undefined) return text.trim() === '' ? 'the file is empty' : 'unexpected end or token';
  const before = text.slice(0, Number(position)).split('\n');
  return `syntax error at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
