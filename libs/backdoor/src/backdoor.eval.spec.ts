import { describe, expect, it } from '@jest/globals';
import { Recoverable, type REPLServer } from 'node:repl';
import { createContext } from 'node:vm';
import { createBoundedEval } from './backdoor.eval.js';

const evaluate = createBoundedEval(50);

function run(code: string, context = createContext({})): Promise<unknown> {
  return new Promise((resolve, reject) => {
    evaluate.call({} as REPLServer, `${code}\n`, context, 'backdoor', (error, result) => (error ? reject(error) : resolve(result)));
  });
}

describe('createBoundedEval', () => {
  it('stops a line that runs past the limit with a timeout error', async () => {
    await expect(run('while (true) {}')).rejects.toMatchObject({ code: 'ERR_SCRIPT_EXECUTION_TIMEOUT', message: 'Script execution timed out after 50ms' });
  });

  it('stops the part of a line before its first await', async () => {
    await expect(run('while (true) {} await 0')).rejects.toMatchObject({ code: 'ERR_SCRIPT_EXECUTION_TIMEOUT' });
  });

  it('answers the value of an awaited expression, and its rejection', async () => {
    await expect(run('await Promise.resolve(6 * 7)')).resolves.toBe(42);
    await expect(run("await Promise.reject(new RangeError('late'))")).rejects.toMatchObject({ name: 'RangeError', message: 'late' });
  });

  it('keeps declarations in the context, with and without await', async () => {
    const context = createContext({});
    await run('const a = 40', context);
    await run('const b = await Promise.resolve(2)', context);
    await expect(run('a + b', context)).resolves.toBe(42);
  });

  it('reads a lone object literal as an object', async () => {
    await expect(run('{ a: 1 }')).resolves.toEqual({ a: 1 });
  });

  it('asks for more input when the line is unfinished', async () => {
    await expect(run('function f() {')).rejects.toBeInstanceOf(Recoverable);
    await expect(run('await f(')).rejects.toBeInstanceOf(Recoverable);
  });

  it('passes a plain syntax error on', async () => {
    await expect(run('1 +* 2')).rejects.toMatchObject({ name: 'SyntaxError' });
  });
});
