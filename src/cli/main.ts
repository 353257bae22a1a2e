/**
 * `dnn-verify [command] [options]`. Each command lives in ./commands/<name>.ts and exports
 * `run(argv): Promise<number>` returning the exit code: 0 success, 1 verification failures,
 * 2 usage or environment error (with a one-line reason on stderr).
 */
import { UsageError, EXIT_USAGE } from './errors.ts';
import { termLine } from '../text/escape.ts';
import { ReportDirError } from '../io/report-files.ts';
import { GraderEnvironmentError } from '../grade/environment.ts';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  verify: { summary: 'verify the built-in reference engine (the default)', load: () => import('./commands/verify.ts') },
  check: {
    summary: 'verify another engine (--python FILE | --module FILE | --command "CMD")',
    load: () => import('./commands/check.ts'),
  },
  grade: {
    summary: 'grade a class: many submissions, a gradebook, class.html, Gradescope results',
    load: () => import('./commands/grade.ts'),
  },
  gradescope: {
    summary: 'write a Gradescope autograder (setup.sh, run_autograder, autograder.zip)',
    load: () => import('./commands/gradescope.ts'),
  },
  merge: { summary: 'merge the reports of --shard runs into one verdict', load: () => import('./commands/merge.ts') },
  train: {
    summary: "run the Application notebook's training programs on the cat data",
    load: () => import('./commands/train.ts'),
  },
  random: { summary: "write NumPy's legacy random stream to a .npy file", load: () => import('./commands/random.ts') },
};

export function usage(): string {
  const lines = ['usage: dnn-verify [command] [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', 'Run `dnn-verify COMMAND --help` for the options of a command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  let [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (name === undefined || name.startsWith('-')) {
    rest = argv;
    name = 'verify';
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`dnn-verify: unknown command '${termLine(name)}' (try --help)\n`);
    return EXIT_USAGE;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest);
  } catch (err) {
    // a report folder that is not safe to write into (src/io/report-files.ts) is the environment's: exit 2
    if (err instanceof UsageError || err instanceof ReportDirError || err instanceof GraderEnvironmentError) {
      // one line, whatever it quotes (a file name, an engine's last words): controls shown, CI commands defused
      process.stderr.write(`dnn-verify ${name}: ${termLine(err.message.replace(/\s*\n\s*/g, ' '))}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}
