/**
 * One home for the project: every link to it in README.md, docs/, schema/, package.json and the
 * sources starts with PROJECT_REPOSITORY, every `$id` is the schema's, and every relative link in
 * the docs points at a file that exists. policylayer.com is PolicyLayer's (the policy format's
 * owner), not this project's, and may be linked as such.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleDocsUrl } from '../../src/lint/finding.js';
import { allRules } from '../../src/lint/rules/index.js';
import { SCHEMA_ID } from '../../src/policy/json-schema.js';
import { PROJECT_REPOSITORY } from '../../src/util/home.js';
import { ROOT } from '../helpers/cli.js';

function filesUnder(folder: string, pattern: RegExp): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...filesUnder(path, pattern));
    else if (pattern.test(name)) found.push(path);
  }
  return found;
}

const DOCS = [join(ROOT, 'README.md'), ...filesUnder(join(ROOT, 'docs'), /\.md$/)];
const SCANNED = [...DOCS, ...filesUnder(join(ROOT, 'schema'), /\.json$/), join(ROOT, 'package.json'), ...filesUnder(join(ROOT, 'src'), /\.tsx?$/)];

/** A URL that names this project by its name: our home must be the only one. */
function aboutThisProject(url: string): boolean {
  const { host, pathname } = new URL(url);
  const owner = pathname.split('/')[1]?.toLowerCase();
  if (host === 'policylayer.com' || host.endsWith('.policylayer.com')) return false;
  if ((host === 'github.com' || host === 'raw.githubusercontent.com') && owner === 'policylayer') {
    const repo = pathname.split('/')[2]?.toLowerCase().replace(/\.git$/, '');
    return repo !== 'intercept' && repo !== 'mcp';
  }
  return host.includes('policylayer');
}

describe('the project has one home', () => {
  it('every link to the project, in docs, schema, package.json and sources, starts with its repository', () => {
    const stray: string[] = [];
    let checked = 0;
    for (const file of SCANNED) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:git\+)?https?:\/\/[^\s"'`<>)\]\\]+/g)) {
        const url = match[0].replace(/^git\+/, '').replace(/[.,;:]+$/, '');
        if (!aboutThisProject(url)) continue;
        checked++;
        if (!/^[/#.]|^$/.test(url.slice(PROJECT_REPOSITORY.length)) || !url.startsWith(PROJECT_REPOSITORY)) stray.push(`${relative(ROOT, file)}: ${url}`);
      }
    }
    expect(stray).toEqual([]);
    expect(checked).toBeGreaterThan(5);
  });

  it('every $id is the schema id, which lives there too', () => {
    expect(SCHEMA_ID.startsWith(`${PROJECT_REPOSITORY}/`)).toBe(true);
    for (const file of filesUnder(join(ROOT, 'schema'), /\.json$/)) {
      expect(JSON.parse(readFileSync(file, 'utf8')).$id, relative(ROOT, file)).toBe(SCHEMA_ID);
    }
  });

  it("package.json's repository, homepage and bugs are the home", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.repository).toEqual({ type: 'git', url: `git+${PROJECT_REPOSITORY}.git` });
    expect(pkg.homepage).toBe(`${PROJECT_REPOSITORY}#readme`);
    expect(pkg.bugs).toEqual({ url: `${PROJECT_REPOSITORY}/issues` });
  });

  it('every rule links to its page, and every page exists', () => {
    for (const rule of allRules) {
      expect(ruleDocsUrl(rule.id)).toBe(`${PROJECT_REPOSITORY}/blob/main/docs/rules/${rule.id}.md`);
      expect(existsSync(join(ROOT, 'docs/rules', `${rule.id}.md`)), rule.id).toBe(true);
    }
  });

  it('every relative link in README.md and docs/ points at a file that exists', () => {
    const broken: string[] = [];
    for (const file of DOCS) {
      const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1]!.split('#')[0]!;
        if (target === '' || /^[a-z]+:/i.test(target)) continue;
        if (!existsSync(join(dirname(file), decodeURIComponent(target)))) broken.push(`${relative(ROOT, file)}: ${match[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
