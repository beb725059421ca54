/** The official adaptor's lines go to `console.log`; a host that wants them elsewhere routes the console. */
export function say(line: string): void {
  console.log(line);
}
