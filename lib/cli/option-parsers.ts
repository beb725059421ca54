import { InvalidArgumentError } from 'commander';

/**
 * Parsers of command-line option values, shared by every command: a bad
 * value is one line from commander (`error: option '--port <n>' argument
 * 'x' is invalid. expected a port number from 0 to 65535`).
 */

/** A whole number within bounds; `what` names it in the message. */
export function wholeNumber(min: number, max?: number, what = 'a whole number'): (value: string) => number {
  const range = max === undefined ? `${what} ≥ ${min}` : `${what} from ${min} to ${max}`;
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || (max !== undefined && n > max)) throw new InvalidArgumentError(`expected ${range}`);
    return n;
  };
}

/** A number within bounds, fractions allowed; `what` names it in the message. */
export function number(min: number, max: number, what = 'a number'): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`expected ${what} from ${min} to ${max}`);
    return n;
  };
}

/** A port to listen on; 0 asks the system for a free one. */
export const port = wholeNumber(0, 65535, 'a port number');

/** One of the given words. */
export function oneOf<T extends string>(...choices: T[]): (value: string) => T {
  const list = choices.map((c) => `'${c}'`);
  const expected = list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list.at(-1)}` : list[0];
  return (value) => {
    if (!(choices as string[]).includes(value)) throw new InvalidArgumentError(`expected ${expected}`);
    return value as T;
  };
}
