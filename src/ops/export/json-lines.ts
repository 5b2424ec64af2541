type Cell = string | number | null;

const BASE64_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (text: string): boolean => text.length % 4 === 0 && BASE64_ALPHABET.test(text);

/**
 * One row as a JSON line with keys in name order, so equal rows give equal bytes on every dialect.
 * Binary columns (SQLite blob, PostgreSQL bytea) are written as base64, as the manifest declares.
 */
export function rowToLine(table: string, row: Record<string, unknown>, binary: ReadonlySet<string>): string {
  const ordered: Record<string, Cell> = {};
  for (const key of Object.keys(row).sort()) {
    const value = row[key];
    if (binary.has(key) && value instanceof Uint8Array) {
      ordered[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
      continue;
    }
    if (value !== null && typeof value !== 'string' && typeof value !== 'number') {
      const kind = value instanceof Uint8Array ? 'binary' : typeof value;
      throw new Error(
        `Cannot export ${table}.${key}: a ${kind} value in a column whose type is not binary (columns must be text, numbers, null or declared binary)`,
      );
    }
    ordered[key] = value;
  }
  return JSON.stringify(ordered);
}

/** What the lines of one table may hold, from the manifest and this Chorus's schema. */
export interface LineShape {
  /** The columns a line may carry. */
  columns: ReadonlySet<string>;
  /** True when the manifest lists the table's columns: then every line carries exactly those. */
  exact: boolean;
  /** Columns the manifest declares as base64 of bytes; decoded to a Buffer. */
  base64: ReadonlySet<string>;
  /** Columns that hold bytes in this Chorus: a value there is only accepted through a declared encoding. */
  binary: ReadonlySet<string>;
  /** Columns the manifest says were left out, each with what the manifest says. */
  absent: ReadonlyMap<string, string>;
}

/** Parses one line of an untrusted archive: an object of text, numbers and nulls over the shape's columns. */
export function lineToRow(line: string, shape: LineShape): Record<string, Cell | Buffer> | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const row: Record<string, Cell | Buffer> = {};
  for (const [key, cell] of Object.entries(value)) {
    const absent = shape.absent.get(key);
    if (absent !== undefined) return `column "${key}" is present, but the manifest says ${absent}`;
    if (!shape.columns.has(key)) return `unknown column "${key}"${shape.exact ? ' (not among the columns the manifest lists)' : ''}`;
    if (cell !== null && typeof cell !== 'string' && typeof cell !== 'number') return `column "${key}" is not text, a number or null`;
    if (cell !== null && shape.base64.has(key)) {
      if (typeof cell !== 'string' || !isBase64(cell)) return `column "${key}" is not base64, as the manifest declares`;
      row[key] = Buffer.from(cell, 'base64');
    } else if (cell !== null && shape.binary.has(key)) {
      return `column "${key}" holds bytes, but the manifest declares no encoding for it`;
    } else {
      row[key] = cell;
    }
  }
  if (shape.exact) {
    const missing = [...shape.columns].filter((column) => !(column in row));
    if (missing.length) return `no value for column(s) ${missing.join(', ')}, which the manifest lists`;
  }
  return row;
}
