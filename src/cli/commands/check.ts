/**
 * `dnn-verify check --python FILE | --module FILE | --command "CMD" [options]`: verify another engine with every
 * check family (fixture packs, gradient checks, properties, differential tests against the reference).
 */
import { dirname, resolve } from 'node:path';
import type { Engine } from '../../engine/engine.ts';
import { parseOptions } from '../args.ts';
import { UsageError, EXIT_OK } from '../errors.ts';
import { commandEngine, moduleEngine, pythonEngine } from '../../adapters/index.ts';
import { RUN_HELP, RUN_OPTIONS, runFlags } from '../run-flags.ts';
import { printRun, progressTty, runLog } from '../run-output.ts';
import { exitCode, verifyRun } from '../../run/verify.ts';
import { createSandbox, SandboxError, type Sandbox } from '../../sandbox/sandbox.ts';
import { SANDBOX_HELP, SANDBOX_OPTIONS, sandboxOptions } from '../sandbox-options.ts';
import { prepareReportDir, REPORT_FILES, ReportDirError } from '../../io/report-files.ts';
import { checkInputFile, DEFAULT_INPUT_LIMIT, InputError } from '../../io/input-files.ts';
import { formatSize, parseSize } from '../../sandbox/limits.ts';

const HELP = `usage: dnn-verify check (--python FILE | --module FILE | --command "CMD") [options]

  --python FILE      a Python module (.py) or Jupyter notebook (.ipynb) defining the notebook functions
  --module FILE      a JavaScript/TypeScript module exporting them
  --command "CMD"    any program speaking the JSON-lines protocol (src/protocol/README.md) on stdio
  --load MODE        how a --python file is loaded: module (as Python imports it), notebook (definitions,
                     imports and what they need; test calls and prints left out) or auto (default: a
                     notebook or a .py export with magics, get_ipython() or "# In[ ]:" markers loads as a
                     notebook, any other .py as a module)
  --python-bin PATH  the Python interpreter that runs a --python engine, e.g. /usr/bin/python3 for Debian's
                     python3-torch (default: $DNN_VERIFY_PYTHON, else python3 on the PATH); it needs NumPy
  --map a=b[,c=d]    the engine's name for a notebook function (translated notebooks), e.g.
                     --map linear_forward=para_frente_linear
  --timeout MS       per-call timeout (default 10000); a hung engine is killed and restarted, and the
                     function that hung fails fast for the rest of the run
  --input-limit SIZE largest --python/--module file read (default ${formatSize(DEFAULT_INPUT_LIMIT).replace(' ', '')}); it must be a regular
                     file (not a FIFO or a device), and a link to it may not lead out of its folder
${RUN_HELP}${SANDBOX_HELP}`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, {
    ...RUN_OPTIONS,
    python: { type: 'string' },
    module: { type: 'string' },
    command: { type: 'string' },
    map: { type: 'string', multiple: true },
    load: { type: 'string' },
    'python-bin': { type: 'string' },
    timeout: { type: 'string' },
    'input-limit': { type: 'string' },
    ...SANDBOX_OPTIONS,
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
  const load = values.load ?? 'auto';
  if (load !== 'auto' && load !== 'module' && load !== 'notebook')
    throw new UsageError(`--load takes auto, module or notebook, got '${load}'`);
  if (values.load !== undefined && !values.python) throw new UsageError('--load applies to --python FILE only');
  if (values['python-bin'] !== undefined && !values.python)
    throw new UsageError('--python-bin applies to --python FILE only');
  const timeoutMs = values.timeout === undefined ? 10_000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new UsageError(`--timeout must be a positive integer (ms), got '${values.timeout}'`);
  const { settings, verbose } = runFlags(values);
  const inputLimit = values['input-limit'] === undefined ? DEFAULT_INPUT_LIMIT : parseSize(values['input-limit']);
  if (inputLimit === undefined)
    throw new UsageError(`--input-limit takes a size such as 20M or 1G, got '${values['input-limit']}'`);
  // the engine's file is checked before anything reads it, as grade checks a submission
  const file = values.python ?? values.module;
  if (file !== undefined) {
    try {
      checkInputFile(file, { folder: dirname(resolve(file)), maxBytes: inputLimit, optionName: '--input-limit' });
    } catch (err) {
      if (err instanceof InputError) throw new UsageError(err.message);
      throw err;
    }
  }
  // the report folder is created (or checked) before the engine starts: it cannot plant links there first
  try {
    prepareReportDir(settings.reportDir, REPORT_FILES);
  } catch (err) {
    if (err instanceof ReportDirError) throw new UsageError(err.message);
    throw err;
  }
  let sandbox: Sandbox;
  try {
    sandbox = createSandbox(sandboxOptions(values, [settings.reportDir]));
  } catch (err) {
    if (err instanceof SandboxError) throw new UsageError(err.message);
    throw err;
  }
  process.stderr.write(`dnn-verify: ${sandbox.describe()}\n`);
  let engine: Engine;
  try {
    engine = values.python
      ? pythonEngine(values.python, { timeoutMs, map, sandbox, load, python: values['python-bin'] })
      : values.module
        ? moduleEngine(values.module, { timeoutMs, map, sandbox })
        : commandEngine(values.command!, { timeoutMs, map, sandbox });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { report, files, startError } = await verifyRun(engine, {
    ...settings,
    sandbox: sandbox.label,
    tty: progressTty(),
    log: runLog(verbose),
  });
  // an engine that did not start: no evidence, exit 2 with one line (its report.json says so: verdict error)
  if (startError !== undefined) throw new UsageError(report.reason ?? 'the engine did not start');
  printRun(report, files);
  return exitCode(report);
}
