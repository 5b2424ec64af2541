import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';

interface LineAt {
  hash: Buffer;
  offset: number;
  length: number;
}

/** Lines are copied into place in chunks of about this size. */
const COPY_CHUNK_BYTES = 1024 * 1024;

/**
 * One table's JSON Lines file, written with bounded memory: lines arrive page by page in any
 * order and end up in ascending order of their SHA-256, so the same rows give the same bytes on
 * every dialect without the table ever being held in memory (a team's attachments can be gigabytes).
 */
export class TableFile {
  private readonly lines: LineAt[] = [];
  private written = 0;

  private constructor(
    private readonly file: string,
    private readonly unsorted: fs.FileHandle,
  ) {}

  static async create(file: string): Promise<TableFile> {
    return new TableFile(file, await fs.open(`${file}.unsorted`, 'w+'));
  }

  async add(lines: string[]): Promise<void> {
    const chunks = lines.map((line) => Buffer.from(`${line}\n`, 'utf8'));
    for (const [index, chunk] of chunks.entries()) {
      this.lines.push({ hash: createHash('sha256').update(lines[index]!, 'utf8').digest(), offset: this.written, length: chunk.length });
      this.written += chunk.length;
    }
    await this.unsorted.writeFile(Buffer.concat(chunks));
  }

  /** Writes the sorted file and returns what the manifest records of it. */
  async finish(): Promise<{ rows: number; bytes: number; sha256: string }> {
    this.lines.sort((a, b) => Buffer.compare(a.hash, b.hash));
    const digest = createHash('sha256');
    const out = await fs.open(this.file, 'w');
    try {
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        const chunk = Buffer.concat(pending);
        digest.update(chunk);
        await out.writeFile(chunk);
        pending = [];
        pendingBytes = 0;
      };
      for (const line of this.lines) {
        const bytes = Buffer.alloc(line.length);
        const { bytesRead } = await this.unsorted.read(bytes, 0, line.length, line.offset);
        if (bytesRead !== line.length) throw new Error(`${this.file}: a line written to the work file could not be read back whole`);
        pending.push(bytes);
        pendingBytes += line.length;
        if (pendingBytes >= COPY_CHUNK_BYTES) await flush();
      }
      await flush();
    } finally {
      await out.close();
    }
    await this.close();
    await fs.rm(`${this.file}.unsorted`);
    return { rows: this.lines.length, bytes: this.written, sha256: digest.digest('hex') };
  }

  async close(): Promise<void> {
    await this.unsorted.close();
  }
}
