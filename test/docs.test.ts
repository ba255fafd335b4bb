import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { environmentSchema } from '../src/config.js';
import { ErrorCode } from '../src/errors.js';

/*
 * The documentation is held to the code: the configuration table to the config schema, the error
 * catalogue to `ErrorCode`, and every relative link to a file (and heading) that exists.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const docsPages = readdirSync(join(root, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`)
  .sort();
const markdownFiles = ['README.md', ...docsPages, 'bench/README.md'];

/** The text with fenced code blocks blanked out (their lines kept, so nothing shifts). */
function withoutFences(markdown: string): string {
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        return '';
      }
      return inFence ? '' : line;
    })
    .join('\n');
}

/** Splits a table row on the pipes that are not inside a code span. */
function cellsOf(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (const char of row.trim().replace(/^\|/, '').replace(/\|$/, '')) {
    if (char === '`') inCode = !inCode;
    if (char === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += char;
    }
  }
  cells.push(cell.trim());
  return cells;
}

interface Table {
  /** The heading the table sits under (its text, without the #s). */
  heading: string;
  header: string[];
  rows: string[][];
}

function tablesOf(markdown: string): Table[] {
  const tables: Table[] = [];
  let heading = '';
  const lines = withoutFences(markdown).split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const title = /^#{1,6}\s+(.*)$/.exec(line);
    if (title) heading = title[1]!.trim();
    const separator = lines[index + 1];
    if (!line.trim().startsWith('|') || separator === undefined || !/^\s*\|[\s:|-]+\|\s*$/.test(separator)) {
      continue;
    }
    const rows: string[][] = [];
    let next = index + 2;
    while (next < lines.length && lines[next]!.trim().startsWith('|')) rows.push(cellsOf(lines[next++]!));
    tables.push({ heading, header: cellsOf(line), rows });
    index = next - 1;
  }
  return tables;
}

/** Every `NAME` in code spans of a cell. */
const codeSpans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);

const sorted = (values: Iterable<string>) => [...values].sort();

function duplicates(values: readonly string[]): string[] {
  return values.filter((value, index) => values.indexOf(value) !== index);
}

describe('docs/configuration.md', () => {
  const tables = tablesOf(read('docs/configuration.md')).filter((table) => table.header[0] === 'variable');
  const rows = tables.flatMap((table) => table.rows);
  const shape = environmentSchema.shape as Record<
    string,
    { safeParse(value: unknown): { success: boolean; data?: unknown } }
  >;

  it('has one configuration table', () => {
    expect(tables).toHaveLength(1);
    expect(tables[0]!.header).toEqual(['variable', 'default', 'meaning']);
  });

  it('lists exactly the variables of the config schema, each once', () => {
    const documented = rows.flatMap((row) => codeSpans(row[0]!));

    expect(duplicates(documented)).toEqual([]);
    expect(sorted(documented)).toEqual(sorted(Object.keys(environmentSchema.shape)));
  });

  it("gives each variable the schema's default", () => {
    const disagreements: string[] = [];
    for (const row of rows) {
      const names = codeSpans(row[0]!);
      const cell = row[1]!;
      for (const name of names) {
        const field = shape[name];
        if (field === undefined) continue; // reported by the test above
        const parsed = field.safeParse(undefined);
        const fallback = parsed.success ? parsed.data : undefined;
        if (fallback === undefined) {
          // No default in the schema: unset, or decided by NODE_ENV (the production switches).
          if (!/^unset\b/.test(cell) && !/in production/.test(cell)) {
            disagreements.push(`${name}: the schema has no default, the table says ${JSON.stringify(cell)}`);
          }
        } else if (typeof fallback !== 'object' && codeSpans(cell)[0] !== String(fallback)) {
          disagreements.push(
            `${name}: the schema's default is ${String(fallback)}, the table says ${JSON.stringify(cell)}`,
          );
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});

describe('docs/errors.md', () => {
  const tables = tablesOf(read('docs/errors.md'));
  const catalogue = new Set<string>(Object.values(ErrorCode));
  const isCode = (span: string) => /^[A-Z]+(?:_[A-Z]+)*$/.test(span);

  it('has a catalogue table naming exactly the codes of ErrorCode, one row each', () => {
    const table = tables.find((candidate) => candidate.heading === 'Catalogue');
    expect(table, 'a table under "## Catalogue"').toBeDefined();
    const documented = table!.rows.map((row) => codeSpans(row[0]!));

    expect(documented.filter((spans) => spans.length !== 1)).toEqual([]);
    const codes = documented.map((spans) => spans[0]!);
    expect(duplicates(codes)).toEqual([]);
    expect(sorted(codes)).toEqual(sorted(catalogue));
  });

  it('names no code outside the catalogue in its other tables', () => {
    const named = tables
      .filter((table) => table.heading !== 'Catalogue')
      .flatMap((table) => {
        const column = table.header.findIndex((title) => title.includes('extensions.code'));
        return column < 0 ? [] : table.rows.flatMap((row) => codeSpans(row[column] ?? ''));
      })
      .filter(isCode);

    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((code) => !catalogue.has(code))).toEqual([]);
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(markdown).split('\n')) {
    const title = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!title) continue;
    const text = title[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .toLowerCase();
    const slug = text.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Every `[text](target)` outside code, as written. */
function linksOf(markdown: string): string[] {
  const prose = withoutFences(markdown).replace(/`[^`\n]*`/g, 'code');
  return [...prose.matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]!);
}

describe('links in README.md, docs/ and bench/README.md', () => {
  it('finds the pages', () => {
    expect(docsPages.length).toBeGreaterThan(0);
  });

  it('point to files, and headings, that exist', () => {
    const broken: string[] = [];
    for (const file of markdownFiles) {
      for (const link of linksOf(read(file))) {
        if (/^[a-z][a-z+.-]*:/i.test(link)) continue; // https:, mailto:
        const [path = '', anchor] = link.split('#', 2) as [string, string | undefined];
        const target = path === '' ? join(root, file) : join(root, dirname(file), decodeURI(path));
        if (!existsSync(target)) {
          broken.push(`${file}: ${link} (no ${relative(root, target)})`);
          continue;
        }
        if (anchor !== undefined && target.endsWith('.md')) {
          if (!anchorsOf(readFileSync(target, 'utf8')).has(anchor)) {
            broken.push(`${file}: ${link} (no heading #${anchor} in ${relative(root, target)})`);
          }
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('reach every page from README.md in one click', () => {
    const linked = new Set(
      linksOf(read('README.md'))
        .filter((link) => !/^[a-z][a-z+.-]*:/i.test(link))
        .map((link) => link.split('#')[0]!),
    );

    expect([...docsPages, 'bench/README.md'].filter((page) => !linked.has(page))).toEqual([]);
  });
});
