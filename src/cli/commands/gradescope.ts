/**
 * `dnn-verify gradescope DIR [--tarball FILE | --git URL] [grade options]`: writes a Gradescope autograder kit
 * into DIR (setup.sh, run_autograder, dnn-verify's tarball, points.json, autograder.zip). See
 * docs/guide/gradescope.md and src/grade/gradescope-kit.ts.
 */
import { existsSync } from 'node:fs';
import { parseOptions } from '../args.ts';
import { EXIT_OK, UsageError } from '../errors.ts';
import { NODE_MINIMUM, writeKit } from '../../grade/gradescope-kit.ts';
import { PointsError, readPoints } from '../../grade/points.ts';
import { assignmentFlag } from '../run-flags.ts';
import { SANDBOX_OPTIONS, sandboxOptions } from '../sandbox-options.ts';
import { termLine } from '../../text/escape.ts';

const HELP = `usage: dnn-verify gradescope DIR [--tarball FILE | --git URL] [grade options]

Writes a Gradescope autograder into DIR: setup.sh (installs Node >= ${NODE_MINIMUM}, python3 with NumPy, bubblewrap
and dnn-verify), run_autograder (grades /autograder/submission's one notebook into
/autograder/results/results.json), dnn-verify's npm pack tarball, points.json, and autograder.zip, which holds them
and is what you upload to Gradescope. See docs/guide/gradescope.md.

  --tarball FILE     ship this npm pack tarball of dnn-verify (default: npm pack of the running dnn-verify)
  --git URL          setup.sh installs dnn-verify from this git URL instead (no tarball in the zip)

grade options baked into run_autograder (see dnn-verify grade --help):
  --assignment NAME  --points FILE  --functions a,b  --runs N  --seed N  --timeout MS  --budget S  --map a=b  --shrink
  --visibility V  --sandbox MODE  --pass-env NAME  --memory-limit SIZE  --cpu-limit S  --file-size-limit SIZE
  --process-limit N  --output-limit SIZE
`;

const GRADE_VALUE_OPTIONS = ['assignment', 'functions', 'runs', 'seed', 'timeout', 'budget', 'visibility'] as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    {
      tarball: { type: 'string' },
      git: { type: 'string' },
      points: { type: 'string' },
      map: { type: 'string', multiple: true },
      shrink: { type: 'boolean' },
      ...Object.fromEntries(GRADE_VALUE_OPTIONS.map((o) => [o, { type: 'string' } as const])),
      ...SANDBOX_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('name one folder to write the kit into (see --help)');
  const v = values as Record<string, string | string[] | boolean | undefined>;
  if (v.tarball && v.git) throw new UsageError('--tarball and --git exclude each other');
  if (typeof v.tarball === 'string' && !existsSync(v.tarball)) throw new UsageError(`no such file: ${v.tarball}`);
  const assignment = assignmentFlag(v.assignment);
  if (typeof v.points === 'string')
    try {
      readPoints(v.points, assignment);
    } catch (err) {
      if (err instanceof PointsError) throw new UsageError(err.message);
      throw err;
    }
  sandboxOptions(v, []); // validates the sandbox options; run_autograder passes them on
  const gradeArgs: string[] = [];
  for (const o of GRADE_VALUE_OPTIONS) if (typeof v[o] === 'string') gradeArgs.push(`--${o}`, v[o] as string);
  for (const m of (v.map as string[] | undefined) ?? []) gradeArgs.push('--map', m);
  if (v.shrink) gradeArgs.push('--shrink');
  for (const [o, spec] of Object.entries(SANDBOX_OPTIONS)) {
    const value = v[o];
    if (value === undefined) continue;
    for (const x of 'multiple' in spec && spec.multiple ? (value as string[]) : [value as string])
      gradeArgs.push(`--${o}`, x);
  }
  const files = writeKit(positionals[0], {
    tarball: typeof v.tarball === 'string' ? v.tarball : undefined,
    git: typeof v.git === 'string' ? v.git : undefined,
    points: typeof v.points === 'string' ? v.points : undefined,
    gradeArgs,
  });
  process.stdout.write(
    `dnn-verify gradescope: wrote ${termLine(files.join(', '))}\nupload ${termLine(files[files.length - 1])} as the assignment's autograder (Configure Autograder > Zip file upload)\n`,
  );
  return EXIT_OK;
}
