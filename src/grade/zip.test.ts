/** The stored-zip writer, read back by Python's zipfile (and by unzip where installed). */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, storedZip } from './zip.ts';

describe('storedZip', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it("writes an archive Python's zipfile reads back: names, bytes, CRCs and Unix modes", () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnn-verify-zip-'));
    try {
      const binary = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 131) & 0xff));
      const zip = storedZip([
        { name: 'setup.sh', data: '#!/usr/bin/env bash\necho hi\n', mode: 0o755 },
        { name: 'run_autograder', data: '#!/usr/bin/env bash\n', mode: 0o755 },
        { name: 'dnn-verify-0.1.0.tgz', data: binary },
        { name: 'sub/ünïcode.json', data: '{}\n' },
      ]);
      writeFileSync(join(dir, 'a.zip'), zip);
      const py = spawnSync(
        'python3',
        [
          '-c',
          `import zipfile, json, sys, hashlib
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([[i.filename, i.compress_type, (i.external_attr >> 16) & 0o7777, i.create_system,
  hashlib.sha256(z.read(i)).hexdigest(), i.file_size] for i in z.infolist()]))`,
          join(dir, 'a.zip'),
        ],
        { encoding: 'utf8' },
      );
      expect(py.stderr).toBe('');
      const sha = (b: Buffer | string) => spawnSync('sha256sum', { input: b }).stdout.toString().split(' ')[0];
      expect(JSON.parse(py.stdout)).toEqual([
        ['setup.sh', 0, 0o755, 3, sha('#!/usr/bin/env bash\necho hi\n'), 28],
        ['run_autograder', 0, 0o755, 3, sha('#!/usr/bin/env bash\n'), 20],
        ['dnn-verify-0.1.0.tgz', 0, 0o644, 3, sha(binary), 70_000],
        ['sub/ünïcode.json', 0, 0o644, 3, sha('{}\n'), 3],
      ]);
      // the same files give the same bytes
      expect(storedZip([{ name: 'x', data: 'y' }]).equals(storedZip([{ name: 'x', data: 'y' }]))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses paths that would leave the folder it is extracted into', () => {
    expect(() => storedZip([{ name: '../evil', data: '' }])).toThrow(/relative path/);
    expect(() => storedZip([{ name: '/etc/passwd', data: '' }])).toThrow(/relative path/);
  });
});
