/**
 * Attacks on what the engine can read (issue 23, "rlimits mode ... reads only what it must"; issue 24): placed in
 * the correct engine like those of attacks.ts (hostileSource). Placeholders: ROOT_ONLY (a root-only 0600 file),
 * PRIVATE (a world-readable file inside a 0700 folder of root's, as a classmate's submission in a `mktemp -d`
 * class folder), SCRATCH (a world-readable file in another jail's 0700 scratch directory), TMP (the system's
 * temporary directory). Each raises with everything it read, so that the report shows what got through.
 */
import type { Attack } from './attacks.ts';

export const STAGE_ATTACKS: Attack[] = [
  {
    id: 'read-private',
    fn: 'initialize_parameters',
    about:
      "reads a root-only 0600 file, /etc/shadow, a file in a private folder, another jail's scratch and every staged folder's neighbours, and raises with what it got",
    code: `import os, glob
got = {}
paths = [ROOT_ONLY, '/etc/shadow', PRIVATE, SCRATCH]
paths += glob.glob(os.path.join(TMP, 'dnn-verify-engine-*', '*'))
paths += glob.glob(os.path.join(TMP, 'dnn-verify-stage-*', '**', '*secret*'), recursive=True)
for path in paths:
    try:
        with open(path) as f:
            got[path] = 'READ ' + f.read(200)
    except OSError as e:
        got[path] = 'refused ' + type(e).__name__
raise RuntimeError('read: ' + repr(got))`,
  },
];
