import { findUserById } from '../accounts/users.js';
import { DomainError } from '../lib/domain-error.js';
import { newId } from '../lib/ids.js';
import type { OrgScope } from '../teams/org-scope.js';
import { canDeleteContactNote } from '../../core/policies.js';
import { contactRow } from './service.js';
import { presentNote, type ContactNoteView } from './views.js';

/** A contact's notes, newest first. */
export async function contactNotes(scope: OrgScope, contactId: string): Promise<ContactNoteView[]> {
  const rows = await scope
    .selectFrom('contact_notes')
    .selectAll()
    .where('contact_id', '=', contactId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(presentNote);
}

export async function addNote(scope: OrgScope, contactId: string, body: string): Promise<ContactNoteView> {
  return scope.transaction(async (tx) => {
    await contactRow(tx, contactId);
    const author = await findUserById(tx.shared, tx.actor.userId);
    if (!author) throw new DomainError('user_not_found', 'Your account no longer exists', 404);
    const row = { id: newId(), contact_id: contactId, author_user_id: tx.actor.userId, author_name: author.name, body, created_at: tx.now() };
    await tx.insertInto('contact_notes', row);
    await tx.audit('contact.note_added', { contactId, noteId: row.id });
    return presentNote({ ...row, org_id: tx.orgId });
  });
}

export async function deleteNote(scope: OrgScope, contactId: string, noteId: string): Promise<void> {
  await scope.transaction(async (tx) => {
    await contactRow(tx, contactId);
    const note = await tx.selectFrom('contact_notes').select('author_user_id').where('id', '=', noteId).where('contact_id', '=', contactId).executeTakeFirst();
    if (!note) throw new DomainError('note_not_found', 'Note not found', 404);
    if (!canDeleteContactNote(tx.actor, { authorUserId: note.author_user_id }))
      throw new DomainError('note_not_yours', 'Only the author of a note, or an admin, can delete it', 403);
    await tx.deleteFrom('contact_notes').where('id', '=', noteId).execute();
    await tx.audit('contact.note_deleted', { contactId, noteId });
  });
}
