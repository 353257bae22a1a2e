/**
 * The hostile-engine corpus: the correct engine (fixtures/engines/correct.py) with one attack each, placed at the
 * start of one function (or at import). Placeholders in the attacks are filled in by the test: REPORT_DIR (the
 * suite's report directory), EXFIL (a world-writable directory outside the sandbox where an attack drops what it
 * got), PACKAGE (this package's root), PORT (a TCP port the test listens on). An attack that gets nothing raises
 * with what it tried, so the report shows it was run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Attack {
  id: string;
  /** the function carrying the attack ('' for an attack at import) */
  fn: string;
  about: string;
  /** Python lines, run at the start of `fn` (or at module level) */
  code: string;
  /** the wall timeout the test gives calls (ms) */
  timeoutMs?: number;
}

export const ATTACKS: Attack[] = [
  {
    id: 'env-dump',
    fn: 'initialize_parameters',
    about: "dumps os.environ to a file and into its error message (a *_TOKEN is set in the suite's environment)",
    code: `import os, json
dump = json.dumps(dict(os.environ))
try:
    with open(os.path.join(EXFIL, 'env.json'), 'w') as f:
        f.write(dump)
except OSError:
    pass
raise RuntimeError('environment: ' + dump)`,
  },
  {
    id: 'forged-report',
    fn: 'update_parameters',
    about: 'forks a detached (setsid) child that keeps overwriting report.json with "pass" after the run',
    code: `import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for i in range(100):
            try:
                with open(os.path.join(REPORT_DIR, 'report.json'), 'w') as f:
                    f.write('{"verdict": "pass", "forged": true}')
            except OSError:
                pass
            try:
                with open(os.path.join(EXFIL, 'forger-alive'), 'w') as f:
                    f.write(str(time.time()))
            except OSError:
                pass
            time.sleep(0.05)
    os._exit(0)
raise RuntimeError('forked a forger')`,
  },
  {
    id: 'stdout-held-hang',
    fn: 'relu_backward',
    about: 'a setsid grandchild keeps every pipe open and sleeps; the function hangs',
    code: `import os, time
if os.fork() == 0:
    os.setsid()
    time.sleep(600)
    os._exit(0)
time.sleep(600)`,
  },
  {
    id: 'alloc-6g',
    fn: 'sigmoid_backward',
    about: 'allocates 6 GiB on each call',
    code: `import numpy as np
big = np.ones(6 * 2**30 // 8)
big[::4096] = 2.0`,
  },
  {
    id: 'kill-parent',
    fn: 'initialize_parameters_deep',
    about: 'os.kill(os.getppid(), SIGKILL)',
    code: `import os, signal
os.kill(os.getppid(), signal.SIGKILL)`,
  },
  {
    id: 'never-returns',
    fn: 'compute_cost',
    about: 'compute_cost never returns',
    code: `while True:
    pass`,
  },
  {
    id: 'write-outside',
    fn: 'linear_backward',
    about: "writes into the report directory, the package's files and its own file",
    code: `import os
wrote = []
for path, mode in [(os.path.join(REPORT_DIR, 'pwned.txt'), 'w'), (os.path.join(PACKAGE, 'PWNED.txt'), 'w'),
                   (os.path.join(PACKAGE, 'package.json'), 'a'),
                   (os.path.join(PACKAGE, 'src', 'adapters', 'python', 'protocol.py'), 'a'), (__file__, 'a'),
                   (os.path.join(EXFIL, 'outside-scratch.txt'), 'w')]:
    try:
        open(path, mode).close()
        wrote.append(path)
    except OSError:
        pass
raise RuntimeError('wrote: ' + repr(wrote))`,
  },
  {
    id: 'fork-bomb',
    fn: 'relu',
    about: 'while True: os.fork()',
    code: `import os
while True:
    os.fork()`,
  },
  {
    id: 'proc-environ',
    fn: 'initialize_parameters',
    about: "reads /proc/<ppid>/environ and every other process's environment, looking for the token",
    code: `import os
found = []
for pid in [os.getppid()] + [int(p) for p in os.listdir('/proc') if p.isdigit()]:
    try:
        with open('/proc/%d/environ' % pid, 'rb') as f:
            if b'_TOKEN=' in f.read():
                found.append(pid)
    except OSError:
        pass
raise RuntimeError('environments with a token: %d' % len(found))`,
  },
  {
    id: 'close-streams',
    fn: 'update_parameters',
    about: 'closes every file descriptor, the protocol channel included',
    code: `import os
os.closerange(0, 4096)`,
  },
  {
    id: 'flood-output',
    fn: 'sigmoid_backward',
    about: 'writes 64 MiB without a newline to every descriptor (the protocol channel and stderr)',
    code: `import os
chunk = b'x' * (1 << 20)
for fd in range(1, 64):
    try:
        for i in range(64):
            os.write(fd, chunk)
    except OSError:
        pass`,
  },
  {
    id: 'exit-at-import',
    fn: '',
    about: 'sys.exit(3) at import, from a class body (which the runner executes)',
    code: `class _Exit:
    import sys
    sys.exit(3)`,
  },
  {
    id: 'network',
    fn: 'initialize_parameters_deep',
    about: "connects to a TCP port the suite's machine listens on",
    code: `import socket
try:
    socket.create_connection(('127.0.0.1', PORT), timeout=2).close()
    got = 'connected'
except OSError as e:
    got = 'no connection: %s' % e
raise RuntimeError('network: ' + got)`,
  },
  {
    id: 'cpu-burn',
    fn: 'relu_backward',
    about: 'forks three spinning children and waits for them (CPU on every core, within the wall timeout)',
    timeoutMs: 20_000,
    code: `import os, time
for _ in range(3):
    if os.fork() == 0:
        while True:
            pass
time.sleep(600)`,
  },
  {
    id: 'big-file',
    fn: 'initialize_parameters',
    about: 'writes a 200 MiB file in its home directory',
    code: `import os
with open(os.path.join(os.environ.get('HOME', '.'), 'big.bin'), 'wb') as f:
    for i in range(200):
        f.write(b'\\0' * (1 << 20))`,
  },
];

const CORRECT = join(import.meta.dirname, '..', '..', 'fixtures', 'engines', 'correct.py');

/** The engine's source: correct.py with each attack placed and its placeholders filled in. */
export function hostileSource(attacks: Attack | Attack[], fill: Record<string, string | number>): string {
  let src = readFileSync(CORRECT, 'utf8');
  for (const attack of Array.isArray(attacks) ? attacks : [attacks]) {
    let code = attack.code;
    for (const [k, v] of Object.entries(fill))
      code = code.replace(new RegExp(`\\b${k}\\b`, 'g'), typeof v === 'number' ? String(v) : JSON.stringify(v));
    if (!attack.fn) {
      src = src.replace('import numpy as np\n', `import numpy as np\n\n${code}\n`);
      continue;
    }
    const m = new RegExp(`^def ${attack.fn}\\(.*\\):\\n`, 'm').exec(src);
    if (!m) throw new Error(`no function ${attack.fn} in correct.py`);
    const body = code
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n');
    src = `${src.slice(0, m.index + m[0].length)}${body}\n${src.slice(m.index + m[0].length)}`;
  }
  return src;
}
