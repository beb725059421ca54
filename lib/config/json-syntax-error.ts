import { parse as parseLocated, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** jsonc-parser's error codes, in words. */
const SYNTAX_ERRORS: Record<string, string> = {
  InvalidSymbol: 'not a JSON token (strings and keys take double quotes)',
  InvalidNumberFormat: 'a number is not valid',
  PropertyNameExpected: 'a property name in double quotes expected (a comma too many?)',
  ValueExpected: 'a value expected',
  ColonExpected: "':' expected",
  CommaExpected: "',' expected",
  CloseBraceExpected: "'}' expected",
  CloseBracketExpected: "']' expected",
  EndOfFileExpected: 'nothing expected after the end',
  InvalidCommentToken: 'comments are not JSON',
  UnexpectedEndOfComment: 'the file ends inside a comment',
  UnexpectedEndOfString: 'a string does not end on its line',
  UnexpectedEndOfNumber: 'a number ends too soon',
  InvalidUnicode: 'a \\u escape is not valid',
  InvalidEscapeCharacter: 'an escape in a string is not valid',
  InvalidCharacter: 'a character is not allowed in a string',
};

/** Where a file stops being JSON, as line and column (1-based), and what was expected there; never the text itself. */
export function jsonSyntaxError(text: string): string {
  const errors: ParseError[] = [];
  parseLocated(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return 'not valid JSON';
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column}: ${SYNTAX_ERRORS[printParseErrorCode(first.error)] ?? 'unexpected character'}`;
}
