/**
 * JSON.parse's error without the text it quotes, for logs that must not hold what they refuse (the
 * proxy's stderr and audit log: a client's malformed line carries argument values). V8 quotes the
 * text around an unexpected token (`Unexpected token 'S', ..."de": SECRET"... is not valid JSON`);
 * its other messages name only syntax and a position. Kept: a message made of those alone; anything
 * else becomes "unexpected token".
 */
export function jsonParseProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  // Words, hyphens, spaces, positions, and JSON's own punctuation quoted alone ("Expected ',' or '}'").
  const syntaxOnly = message.replace(/'[,:{}[\]]'/g, '');
  const problem = /^[A-Za-z0-9 -]+$/.test(syntaxOnly) && !/is not valid JSON/.test(message) ? message : 'Unexpected token';
  return `not valid JSON: ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`;
}
