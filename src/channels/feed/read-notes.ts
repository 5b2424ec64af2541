import type { ReadNote } from '../connector.js';
import type { CharsetNote } from './charset.js';
import { MAX_ENTRIES, type SkippedEntries } from './parse.js';

const WHERE = { http: "the server's Content-Type", xml: 'the XML declaration' } as const;

/** What a read of the feed tells its channel: the charset used when it is not simply the declared one, and entries left out. */
export function feedReadNotes(charset: CharsetNote | null, skipped: SkippedEntries[]): ReadNote[] {
  return [...(charset ? [charsetNote(charset)] : []), ...skipped.map(skippedNote)];
}

function charsetNote(note: CharsetNote): ReadNote {
  const where = note.declaredIn ? WHERE[note.declaredIn] : null;
  const why = {
    undeclared_not_utf8: 'the feed declares no charset and its bytes are not UTF-8',
    declared_contradicted: `${where} declares ${note.declared}, which the bytes do not fit`,
    declared_unknown: `${where} declares "${note.declared}", which is no charset Chorus knows`,
    utf16_without_bom: `the bytes are UTF-16 without a byte-order mark${where ? `, though ${where} declares ${note.declared}` : ''}`,
  }[note.reason];
  return {
    code: 'charset_detected',
    message: `Read as ${note.charset}: ${why}`,
    details: { charset: note.charset, reason: note.reason, declared: note.declared, declaredIn: note.declaredIn },
  };
}

function skippedNote({ reason, count }: SkippedEntries): ReadNote {
  const entries = count === 1 ? '1 entry' : `${count} entries`;
  const message = {
    beyond_limit: `${entries} beyond the first ${MAX_ENTRIES} of the feed not read`,
    empty: `${entries} skipped as empty (no id, title, link, text or date)`,
    duplicate_id: `${entries} skipped for repeating the id of an earlier entry of the feed`,
  }[reason];
  return { code: 'entries_skipped', message, details: { reason, count, limit: MAX_ENTRIES } };
}
