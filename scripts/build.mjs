#!/usr/bin/env node
// `npm run build` (also run by `npm pack` and `npm publish` through `prepack`; never on install): compiles src/ and properties/ with tsc into dist/
// (.js, .d.ts, source maps; tsconfig.build.json), then copies beside the JavaScript the files the compiled code
// reads at run time. dist/ mirrors the repository's layout, so every path computed from import.meta stays right.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');

/** Files that are not TypeScript but ship beside the JavaScript: kernels, the kernel thread, the Python runner. */
const ASSETS = [/\.wasm$/, /\.mjs$/, /\.py$/];
/** Data the checks read: the fixture packs. */
const DATA = ['fixtures/packs'];

rmSync(DIST, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], {
  stdio: ['ignore', process.stderr, 'inherit'],
}); // stdout stays clean for npm pack --json

let copied = 0;
function copyAssets(dir) {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__pycache__') copyAssets(path);
    } else if (ASSETS.some((re) => re.test(entry.name))) {
      cpSync(join(ROOT, path), join(DIST, path));
      copied++;
    }
  }
}
copyAssets('src');
for (const dir of DATA)
  cpSync(join(ROOT, dir), join(DIST, dir), { recursive: true, filter: (f) => !f.endsWith('.md') });
chmodSync(join(DIST, 'src', 'cli', 'bin.js'), 0o755);
process.stderr.write(
  `dist/: compiled, ${copied} assets and ${DATA.join(', ')} copied (${relative(process.cwd(), DIST) || '.'})\n`,
);
