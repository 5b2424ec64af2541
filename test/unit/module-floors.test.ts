import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Guards of docs/ARCHITECTURE.md that lint cannot see: eslint's no-cycle looks at files, not at
// the folders (modules) they make up, and nothing else knows which module owns which table.

const SRC = path.resolve(import.meta.dirname, '../../src');

const sourceFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });

/** The module a file of src/ belongs to: its first folder, or the file itself at the top. */
const moduleOf = (file: string): string => path.relative(SRC, file).split(path.sep)[0]!.replace(/\.ts$/, '');

const files = sourceFiles(SRC).map((file) => ({ file, module: moduleOf(file), text: fs.readFileSync(file, 'utf8') }));

/** Module → the other modules it imports (static imports, type-only ones too). */
function moduleImports(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { file, module, text } of files) {
    const targets = graph.get(module) ?? new Set<string>();
    graph.set(module, targets);
    for (const match of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)) {
      const target = path.resolve(path.dirname(file), match[1]!);
      if (!target.startsWith(SRC + path.sep)) continue;
      const targetModule = moduleOf(target.replace(/\.js$/, '.ts'));
      if (targetModule !== module) targets.add(targetModule);
    }
  }
  return graph;
}

/** One circle of modules, as a path that returns to its start, or null when there is none. */
function findCircle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (module: string): string[] | null => {
    if (state.get(module) === 'done') return null;
    if (state.get(module) === 'open') return [...trail.slice(trail.indexOf(module)), module];
    state.set(module, 'open');
    trail.push(module);
    for (const next of graph.get(module) ?? []) {
      const circle = visit(next);
      if (circle) return circle;
    }
    trail.pop();
    state.set(module, 'done');
    return null;
  };
  for (const module of [...graph.keys()].sort()) {
    const circle = visit(module);
    if (circle) return circle;
  }
  return null;
}

/** Table name → the module whose `tables.ts` declares it. */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const { file, module, text } of files) {
    if (path.basename(file) !== 'tables.ts') continue;
    for (const block of text.matchAll(/export interface \w*Tables\s*\{([\s\S]*?)\n\}/g)) {
      for (const table of block[1]!.matchAll(/^\s+(\w+)\??:/gm)) owners.set(table[1]!, module);
    }
  }
  return owners;
}

// Whole-org export and import copy every table by design (docs/ops.md); migrations may name
// another module's table in a foreign key.
const MAY_READ_EVERY_TABLE = (file: string) => file.includes(`${path.sep}ops${path.sep}export${path.sep}`) || /migrations\.ts$/.test(file);

const TABLE_CALL = /\b(?:selectFrom|innerJoin|leftJoin|rightJoin|fullJoin|insertInto|updateTable|deleteFrom|mergeInto)\(\s*'(\w+)/g;

describe('module floors', () => {
  it('finds the modules and tables it guards', () => {
    const graph = moduleImports();
    expect(graph.get('crm')).toContain('streams');
    expect(tableOwners().get('contact_identities')).toBe('crm');
    expect(tableOwners().get('users')).toBe('accounts');
  });

  it('has no circle of imports between the modules of src/', () => {
    expect(findCircle(moduleImports())).toBeNull();
  });

  it('finds a circle when there is one', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(findCircle(graph)).toEqual(['a', 'b', 'c', 'a']);
  });

  it("lets no module read or write another module's tables", () => {
    const owners = tableOwners();
    const trespasses: string[] = [];
    for (const { file, module, text } of files) {
      if (MAY_READ_EVERY_TABLE(file)) continue;
      for (const match of text.matchAll(TABLE_CALL)) {
        const owner = owners.get(match[1]!);
        if (owner && owner !== module) trespasses.push(`${path.relative(SRC, file)}: ${match[1]} (owned by ${owner})`);
      }
    }
    expect(trespasses).toEqual([]);
  });
});
