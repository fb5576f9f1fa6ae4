import { Recoverable, type REPLEval } from 'node:repl';
import { Script } from 'node:vm';

const FILENAME = 'backdoor';
// Messages V8 gives to input that goes on in the next line: the REPL then asks for more.
const INCOMPLETE = /^(Unexpected end of input|Unterminated template literal)/;
// `const r = await f()`: one name, kept in the session (an async function's own would be lost).
const AWAIT_DECLARATION = /^\s*(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=([\s\S]*?);?\s*$/;

/** A line compiled for the session's context; `async` when it runs as an async function. */
interface CompiledLine {
  script: Script;
  async: boolean;
}

/**
 * The backdoor REPL's eval: each line runs in the session's context with node:vm's `timeout`,
 * so `while (true) {}` ends with "Script execution timed out" instead of freezing the service.
 *
 * What it cannot bound: code after an `await` (or in callbacks, timers and promise handlers)
 * runs outside the limit, and memory is not limited at all. A line with top-level `await`
 * runs as an async function: a single expression prints its value, `const x = await …`
 * keeps `x`; other declarations in such a line stay local to it.
 */
export function createBoundedEval(timeoutMs: number): REPLEval {
  return (code, context, _file, callback) => {
    if (code.trim() === '') {
      callback(null, undefined);
      return;
    }
    let line: CompiledLine;
    try {
      line = compile(code);
    } catch (error) {
      callback(isIncomplete(error) ? new Recoverable(error as Error) : (error as Error), undefined);
      return;
    }
    let result: unknown;
    try {
      result = line.script.runInContext(context, { timeout: timeoutMs, displayErrors: false });
    } catch (error) {
      callback(error as Error, undefined);
      return;
    }
    if (!line.async) {
      callback(null, result);
      return;
    }
    (result as Promise<unknown>).then(
      (value) => callback(null, value),
      (error: Error) => callback(error, undefined),
    );
  };
}

function compile(code: string): CompiledLine {
  // `{ a: 1 }` is an object, as in Node's own REPL, not a block.
  if (/^\s*\{/.test(code) && /\}\s*$/.test(code)) {
    const script = tryScript(`(${code.trim()})\n`);
    if (script) return { script, async: false };
  }
  try {
    return { script: new Script(code, { filename: FILENAME }), async: false };
  } catch (error) {
    if (!/\bawait\b/.test(code)) throw error;
    const script = tryAsync(code);
    if (script) return { script, async: true };
    // Unfinished input with `await` in it: Node's REPL also judges it with the awaits removed.
    try {
      new Script(code.replace(/\bawait\b/g, ''), { filename: FILENAME });
    } catch (withoutAwait) {
      if (isIncomplete(withoutAwait)) throw withoutAwait;
    }
    throw error;
  }
}

// Scripts are sloppy code, so `name = value` in the async function sets a global of the context.
function tryAsync(code: string): Script | undefined {
  const expression = code.trim().replace(/;$/, '');
  const declaration = AWAIT_DECLARATION.exec(code);
  if (declaration) return tryScript(`(async () => { void (${declaration[1]} = (${declaration[2]}\n)); })()`);
  return tryScript(`(async () => (${expression}\n))()`) ?? tryScript(`(async () => {\n${code}\n})()`);
}

function tryScript(code: string): Script | undefined {
  try {
    return new Script(code, { filename: FILENAME });
  } catch {
    return undefined;
  }
}

// By name: the SyntaxError of another realm (a vm context, a test sandbox) fails `instanceof`.
function isIncomplete(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'SyntaxError' && INCOMPLETE.test((error as Error).message);
}
