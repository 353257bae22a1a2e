/**
 * `dnn-verify check --python FILE | --module FILE | --command "CMD" [options]`: verify another engine with every
 * check family (fixture packs, gradient checks, properties, differential tests against the reference).
 */
import type { Engine } from '../../engine/engine.ts';
import { parseOptions } from '../args.ts';
import { UsageError, EXIT_OK } from '../errors.ts';
import { commandEngine, moduleEngine, pythonEngine } from '../../adapters/index.ts';
import { RUN_HELP, RUN_OPTIONS, runSettings, verifyEngine, writeNoEvidenceReport } from './verify.ts';

const HELP = `usage: dnn-verify check (--python FILE | --module FILE | --command "CMD") [options]

  --python FILE      a Python module (.py) or Jupyter notebook (.ipynb) defining the notebook functions
  --module FILE      a JavaScript/TypeScript module exporting them
  --command "CMD"    any program speaking the JSON-lines protocol (src/protocol/README.md) on stdio
  --map a=b[,c=d]    the engine's name for a notebook function (translated notebooks), e.g.
                     --map linear_forward=para_frente_linear
  --timeout MS       per-call timeout (default 10000); a hung engine is killed and restarted
${RUN_HELP}`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, {
    ...RUN_OPTIONS,
    python: { type: 'string' },
    module: { type: 'string' },
    command: { type: 'string' },
    map: { type: 'string', multiple: true },
    timeout: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT_OK;
  }
  const given = (['python', 'module', 'command'] as const).filter((k) => values[k] !== undefined);
  if (given.length !== 1)
    throw new UsageError('give exactly one of --python FILE, --module FILE, --command "CMD" (see --help)');
  const map: Record<string, string> = {};
  for (const item of (values.map ?? []).flatMap((m) => m.split(','))) {
    const [k, v] = item.split('=').map((s) => s.trim());
    if (!k || !v) throw new UsageError(`--map takes notebook_name=engine_name, got '${item}'`);
    map[k] = v;
  }
  const timeoutMs = values.timeout === undefined ? 10_000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new UsageError(`--timeout must be a positive integer (ms), got '${values.timeout}'`);
  const settings = runSettings(values);
  let engine: Engine;
  try {
    engine = values.python
      ? pythonEngine(values.python, { timeoutMs, map })
      : values.module
        ? moduleEngine(values.module, { timeoutMs, map })
        : commandEngine(values.command!, { timeoutMs, map });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  try {
    await engine.functions();
  } catch (err) {
    await engine.close();
    // no evidence: exit 2 with one line, and a report.json that says so (verdict error)
    const reason = `the engine did not start: ${(err as Error).message.split('\n')[0]}`;
    writeNoEvidenceReport(engine.name, settings, reason);
    throw new UsageError(reason);
  }
  return verifyEngine(engine, settings, typeof values.baseline === 'string' ? values.baseline : undefined);
}
