/**
 * An engine that dies at start-up is named by its own first error (the exception and where), not by its output's
 * last line (Node's version banner), and no restart is claimed (issue 18).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineFault } from '../engine/engine.ts';
import { firstError, moduleEngine } from './index.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'bin.ts')];

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'startup-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function startError(file: string): Promise<EngineFault> {
  const e = moduleEngine(file, { timeoutMs: 30_000 });
  try {
    await e.functions();
  } catch (err) {
    return err as EngineFault;
  } finally {
    await e.close();
  }
  throw new Error('the engine started');
}

describe('an engine that dies at start-up', () => {
  it('ESM syntax in a CommonJS project: the SyntaxError and its line, not "Node.js v20"; no restart claimed', async () => {
    const dir = project({
      'package.json': '{"name": "cjs", "type": "commonjs"}',
      'engine.js': 'const a = 1;\nexport function relu(Z) { return Z; }\n',
      'broken.js': 'const a = 1;\nexport function relu(Z) { return Z +; }\n',
    });
    try {
      // what Node itself writes for ESM syntax in a CommonJS project (the compiled runner loads .js without tsx)
      const node = spawnSync(process.execPath, ['engine.js'], { cwd: dir, encoding: 'utf8' });
      expect(node.stderr.trim().split('\n').pop()).toMatch(/^Node\.js v/);
      expect(firstError(node.stderr)).toMatch(/^SyntaxError: Unexpected token 'export' \(at \S*engine\.js:2\)$/);
      // the engine run by the runner (from the sources: through tsx, whose error is esbuild's)
      const err = await startError(join(dir, 'broken.js'));
      expect(err.message).toMatch(
        /^hello: crash: the engine process exited with code 1 at start-up, before it answered: .*(SyntaxError|ERROR): Unexpected .*broken\.js:2|^.*broken\.js:2:\d+: ERROR: Unexpected ";"$/,
      );
      expect(err.message).not.toMatch(/restart|Node\.js v/);
      // the whole output stays the evidence
      expect(err.output).toMatch(/broken\.js:2/);

      // the CLI says the same, and report.json keeps the output below the reason
      const r = spawnSync(
        process.execPath,
        [...BIN, 'check', '--module', 'broken.js', '--sandbox', 'none', '--report-dir', 'r'],
        {
          cwd: dir,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect(r.status).toBe(2);
      const last = r.stderr.trim().split('\n').pop();
      expect(last).toMatch(/the engine did not start: .*at start-up, before it answered: .*broken\.js:2.*Unexpected/);
      expect(last).not.toMatch(/Node\.js v|restart/);
      const report = JSON.parse(readFileSync(join(dir, 'r', 'report.json'), 'utf8'));
      expect(report.detected.loadError).toMatch(/the engine did not start[\s\S]*\n\n[\s\S]*broken\.js/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('a throw at import: the exception and where it was thrown; nothing claims a restart', async () => {
    const dir = project({
      'engine.mjs':
        'export function relu(Z) { return Z; }\nfunction setup() {\n  throw new TypeError("no weights file");\n}\nsetup();\n',
    });
    try {
      const err = await startError(join(dir, 'engine.mjs'));
      expect(err.message).toMatch(
        /at start-up, before it answered: TypeError: no weights file \(at \S*engine\.mjs:3\)$/,
      );
      expect(err.message).not.toMatch(/restart|Node\.js v/);
      expect(err.output).toMatch(/at setup \(/); // the stack is kept
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('firstError reads Python tracebacks and Node errors, and falls back to the first line that is not the banner', () => {
    const py = [
      'Traceback (most recent call last):',
      '  File "/x/runner.py", line 200, in <module>',
      '  File "/x/engine.py", line 7, in <module>',
      "ModuleNotFoundError: No module named 'h5py'",
    ].join('\n');
    expect(firstError(py)).toBe("ModuleNotFoundError: No module named 'h5py' (at /x/engine.py:7)");
    expect(
      firstError(
        "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'x'\n    at resolve (node:internal/x:1:2)\n\nNode.js v20.20.2",
      ),
    ).toBe("Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'x'");
    expect(firstError('something odd happened\n\nNode.js v20.20.2')).toBe('something odd happened');
    expect(firstError('Node.js v20.20.2')).toBeUndefined();
    expect(firstError('')).toBeUndefined();
  });
});
