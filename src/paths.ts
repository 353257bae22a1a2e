/**
 * Where the project's folders are, whether this code runs from the TypeScript sources or compiled into dist/
 * (which mirrors the sources' layout one level down: dist/src, dist/properties, dist/fixtures/packs).
 */
import { basename, dirname, join } from 'node:path';

/** The folder holding src/ (the repository, or dist/ when compiled). */
export const CODE_ROOT = join(import.meta.dirname, '..');
/** The repository or installed package: where package.json and reports/ are. */
export const PACKAGE_ROOT = basename(CODE_ROOT) === 'dist' ? dirname(CODE_ROOT) : CODE_ROOT;
