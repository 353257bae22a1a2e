/**
 * Every relative link of README.md, CHANGELOG.md and docs/ resolves: the file exists, and a #fragment names a heading
 * of it (GitHub's slugs). External links (http:, https:, mailto:) are not fetched.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function markdownFiles(): string[] {
  const out = ['README.md', 'CHANGELOG.md'].map((f) => join(ROOT, f));
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.push(p);
    }
  };
  walk(join(ROOT, 'docs'));
  return out;
}

/** [text](target) outside code spans and fenced blocks; images too. */
function linksOf(markdown: string): string[] {
  const text = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

/** GitHub's anchor of a heading: lower case, punctuation out, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(path: string): Set<string> {
  const text = readFileSync(path, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1])));
}

/** What is wrong with a link from `file`, or undefined when it resolves. */
function brokenLink(file: string, target: string): string | undefined {
  if (/^[a-z]+:/i.test(target)) return undefined;
  const [path, fragment] = target.split('#');
  const dest = path === '' ? file : join(dirname(file), decodeURIComponent(path));
  if (!existsSync(dest)) return `${target}: no such file`;
  if (fragment && statSync(dest).isFile() && dest.endsWith('.md') && !anchorsOf(dest).has(fragment))
    return `${target}: no heading #${fragment} in ${relative(ROOT, dest)}`;
  return undefined;
}

describe('documentation links', () => {
  it('finds links, and reports a missing file or heading', () => {
    expect(linksOf('see [a](x.md) and `[b](y.md)` and ![c](img/z.png "t")')).toEqual(['x.md', 'img/z.png']);
    expect(slug('Verdicts, warnings and --strict')).toBe('verdicts-warnings-and---strict');
    const readme = join(ROOT, 'README.md');
    expect(brokenLink(readme, 'docs/no-such-page.md')).toMatch(/no such file/);
    expect(brokenLink(readme, 'docs/architecture.md#no-such-heading')).toMatch(/no heading/);
    expect(brokenLink(readme, 'docs/architecture.md')).toBeUndefined();
    expect(brokenLink(readme, 'https://example.com/x')).toBeUndefined();
  });

  it('every relative link of README.md, CHANGELOG.md and docs/ resolves', () => {
    const broken: string[] = [];
    for (const file of markdownFiles())
      for (const target of linksOf(readFileSync(file, 'utf8'))) {
        const why = brokenLink(file, target);
        if (why) broken.push(`${relative(ROOT, file)}: ${why}`);
      }
    expect(broken).toEqual([]);
  });
});
