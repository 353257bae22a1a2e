/** An engine's own first error in what it wrote before it died (Node's and Python's formats). */
/** A thrown error's line: Node's `SyntaxError: ...`, `Error [ERR_X]: ...`, Python's `ValueError: ...`. */
const ERROR_LINE =
  /^(?:Uncaught )?(?:[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)|Error)(?: \[[\w]+\])?(?::\s|:?$)/;
/** Node's header above a SyntaxError (`file:///x/engine.js:3`) and its stack frames (`at f (file:///x.js:3:9)`). */
const NODE_HEADER = /^((?:file:\/\/)?\/\S*:\d+)$/;
const NODE_FRAME = /^\s+at (?:.*\()?((?:file:\/\/)?\/[^()\s]*:\d+:\d+)\)?$/;
const PYTHON_FRAME = /^\s*File "(.+)", line (\d+)/;

/**
 * The engine's own first error in what it wrote before it died, with where it was raised: Node's
 * `SyntaxError: Unexpected token 'export' (at file:///x/engine.js:2)`, Python's `ValueError: boom (at engine.py:7)`.
 * Without one, the first line that is not Node's version banner; undefined when nothing was written.
 */
export function firstError(output: string): string | undefined {
  const lines = output
    .split('\n')
    .map((l) => l.replace(/^\[stdout\] /, '').trimEnd())
    .filter((l) => l.trim() !== '');
  const i = lines.findIndex((l) => ERROR_LINE.test(l));
  if (i < 0) return lines.find((l) => !/^Node\.js v\d/.test(l))?.slice(0, 300);
  // "Error: Transform failed with 1 error:" (tsx, esbuild): the error and its place are on the next line
  const next = lines[i + 1];
  if (lines[i].endsWith(':') && next !== undefined && !NODE_FRAME.test(next) && !PYTHON_FRAME.test(next))
    return `${lines[i]} ${next.trim()}`.slice(0, 300);
  let where: string | undefined;
  for (let j = i - 1; j >= 0 && !where; j--) {
    const py = PYTHON_FRAME.exec(lines[j]);
    if (py) where = `${py[1]}:${py[2]}`;
  }
  where ??= lines
    .slice(0, i)
    .map((l) => NODE_HEADER.exec(l)?.[1])
    .find(Boolean);
  where ??= lines
    .slice(i + 1)
    .map((l) => NODE_FRAME.exec(l)?.[1])
    .find((f) => f !== undefined && !f.startsWith('node:'));
  return `${lines[i].slice(0, 300)}${where ? ` (at ${where})` : ''}`;
}
