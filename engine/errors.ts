/** DuckDB error messages, mapped back to the line of the model file that caused them. */

/**
 * DuckDB reports `LINE n:` counted in the statement it ran; the engine prefixes the model with
 * `wrapperLines` lines, so the file's line is n − wrapperLines. Returns the message without the
 * echoed source excerpt (the file and line say where) and the file line when one was given.
 */
export function mapDuckDbError(message: string, wrapperLines: number): { message: string; line?: number } {
  const m = /\n*LINE (\d+):([^\n]*)(\n[^\n]*\^)?/.exec(message);
  if (!m) return { message: message.trim() };
  const line = Math.max(1, Number(m[1]) - wrapperLines);
  const text = message.slice(0, m.index).trim();
  return { message: text, line };
}
