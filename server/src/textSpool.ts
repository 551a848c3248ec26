/**
 * Source texts kept in a scratch file during a cold build, instead of in
 * memory. The index needs a source's text while it indexes it, and afterwards
 * only for the few sources a hover, a completion or a check reads; on a
 * corpus of 50 MB, keeping every text in the heap was the difference between
 * a build's peak memory and its budget. A text written here is read back
 * (one positioned read) when first used, and then stays with its source.
 *
 * The file is removed as soon as it is open (where the system allows: the
 * data stays reachable through the open descriptor), so nothing is left
 * behind when the process ends, however it ends. Elsewhere it is removed on
 * `close()` or at exit.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';

/** Texts are encoded into one buffer of this size and written when it is full: one write per text would cost more. */
const CHUNK = 1 << 20;

/** Reads a source's texts back. */
export type TextReader = () => { text: string; fileText?: string };

let spools = 0;

export class TextSpool {
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  /** Bytes of `chunk` in use; they start at file offset `written`. */
  private used = 0;
  /** Bytes written to the file. */
  private written = 0;
  private closed = false;
  /** Why the file can no longer be written (see `fail`), and whether a caller was told. */
  private failure?: string;
  private failureTaken = false;
  /** Texts that were in the buffer when the file failed: kept here instead. */
  private readonly stranded: Array<{ at: number; bytes: Buffer }> = [];
  /** The file's path while it still has one (it is unlinked at once where the system allows). */
  private leftOnDisk?: string;

  private constructor(private readonly fd: number) {}

  /**
   * A new spool file in `dir`, or `undefined` (with the reason) when none can
   * be made there: the caller then keeps texts in memory.
   */
  static open(dir: string): TextSpool | { problem: string } {
    const file = path.join(dir, `corroborate-texts-${process.pid}-${++spools}.tmp`);
    let fd: number;
    try {
      fd = openSync(file, 'w+', 0o600);
    } catch (e) {
      return { problem: e instanceof Error ? e.message : String(e) };
    }
    const spool = new TextSpool(fd);
    try {
      unlinkSync(file);
    } catch {
      // Windows keeps the name while the file is open: removed on close, or at exit.
      spool.leftOnDisk = file;
      process.once('exit', () => spool.close());
    }
    return spool;
  }

  /**
   * Stores `text` (and the file text it was extracted from, if any); returns
   * what reads them back, or `undefined` once the file cannot be written (a
   * full disk): the caller then keeps the text in memory. See `takeProblem`.
   */
  keep(text: string, fileText?: string): TextReader | undefined {
    if (this.closed) throw new Error('the text spool is closed');
    if (this.failure !== undefined) return undefined;
    const at = this.written + this.used;
    let textBytes: number;
    let fileTextBytes: number;
    try {
      textBytes = this.put(text);
      fileTextBytes = fileText === undefined ? -1 : this.put(fileText);
    } catch (e) {
      this.fail(e);
      return undefined;
    }
    return () => {
      const read = this.read(at, textBytes + Math.max(0, fileTextBytes));
      return {
        text: read.toString('utf8', 0, textBytes),
        ...(fileTextBytes >= 0 ? { fileText: read.toString('utf8', textBytes) } : {}),
      };
    };
  }

  /** Why texts can no longer be kept here, the first time it is asked after it happened; `undefined` otherwise. */
  takeProblem(): string | undefined {
    if (this.failure === undefined || this.failureTaken) return undefined;
    this.failureTaken = true;
    return this.failure;
  }

  /** Closes (and removes) the file; texts not yet read are gone, so only once no source needs them. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
      if (this.leftOnDisk) unlinkSync(this.leftOnDisk);
    } catch {
      // Already gone.
    }
  }

  /** Appends `s` as UTF-8; returns its length in bytes. */
  private put(s: string): number {
    // At most three bytes per UTF-16 unit: a text that might not fit in what is left goes after a flush.
    if (this.used + 3 * s.length > CHUNK) this.flush();
    if (3 * s.length > CHUNK) {
      const encoded = Buffer.from(s, 'utf8');
      this.writeAll(encoded);
      return encoded.length;
    }
    const bytes = this.chunk.write(s, this.used, 'utf8');
    this.used += bytes;
    return bytes;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.writeAll(this.chunk.subarray(0, this.used));
    this.used = 0;
  }

  /**
   * The file could not be written: no more texts are taken, and those still
   * in the buffer (which may never reach the file) are kept in memory, where
   * their readers find them.
   */
  private fail(e: unknown): void {
    this.failure = e instanceof Error ? e.message : String(e);
    if (this.used > 0) {
      this.stranded.push({ at: this.written, bytes: Buffer.from(this.chunk.subarray(0, this.used)) });
      this.written += this.used;
      this.used = 0;
    }
  }

  private writeAll(bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done, this.written + done);
    this.written += bytes.length;
  }

  private read(at: number, bytes: number): Buffer {
    if (this.closed) throw new Error('the text spool was closed before this text was read');
    // A text still in the chunk is written first, so every read is from the file.
    if (at + bytes > this.written) {
      try {
        this.flush();
      } catch (e) {
        this.fail(e);
      }
    }
    const stranded = this.stranded.find((s) => at >= s.at && at + bytes <= s.at + s.bytes.length);
    if (stranded) return stranded.bytes.subarray(at - stranded.at, at - stranded.at + bytes);
    const buffer = Buffer.allocUnsafe(bytes);
    for (let done = 0; done < bytes; ) {
      const n = readSync(this.fd, buffer, done, bytes - done, at + done);
      if (n === 0) throw new Error('the text spool is shorter than it was written');
      done += n;
    }
    return buffer;
  }
}
