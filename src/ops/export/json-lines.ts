type Cell = string | number | null;

/** One row as a JSON line with keys in name order, so equal rows give equal bytes on every dialect. */
export function rowToLine(table: string, row: Record<string, unknown>): string {
  const ordered: Record<string, Cell> = {};
  for (const key of Object.keys(row).sort()) {
    const value = row[key];
    if (value !== null && typeof value !== 'string' && typeof value !== 'number') {
      throw new Error(`Cannot export ${table}.${key}: a ${typeof value} value (columns must be text, numbers or null)`);
    }
    ordered[key] = value;
  }
  return JSON.stringify(ordered);
}

/** Parses one line of an untrusted archive: an object of text, numbers and nulls over known columns. */
export function lineToRow(line: string, columns: Set<string>): Record<string, Cell> | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  for (const [key, cell] of Object.entries(value)) {
    if (!columns.has(key)) return `unknown column "${key}"`;
    if (cell !== null && typeof cell !== 'string' && typeof cell !== 'number') return `column "${key}" is not text, a number or null`;
  }
  return value as Record<string, Cell>;
}
