import { Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addNote, deleteNote, type ContactNote } from '../../api/contacts.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useFormatDate } from '../../components/format.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useContactRights, useRefreshContacts } from './contact-queries.js';
import { useIntentMutation } from '../../app/intent-mutation.js';

const MAX_NOTE = 10_000;

/** The team's notes on the contact, newest first (the server's order). */
export function ContactNotes({ contactId, notes }: { contactId: string; notes: ContactNote[] }) {
  const { t } = useTranslation();
  const rights = useContactRights();
  return (
    <Paper withBorder radius="md" p="md" data-testid="contact-notes">
      <Title order={5} mb="xs">
        {t('contacts.notes.title')}
      </Title>
      {rights.write && <AddNoteForm contactId={contactId} />}
      {notes.length === 0 ? (
        <Text size="sm" c="dimmed" mt="xs">
          {t('contacts.notes.none')}
        </Text>
      ) : (
        <Stack gap="xs" mt="xs">
          {notes.map((note) => (
            <NoteRow key={note.id} contactId={contactId} note={note} deletable={rights.deleteNote(note)} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function AddNoteForm({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const refresh = useRefreshContacts(org.id);
  const [body, setBody] = useState('');
  const add = useIntentMutation({
    mutationFn: (text: string, intent) => addNote(org.id, contactId, text, intent.key()),
    onSuccess: async () => {
      setBody('');
      await refresh();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (body.trim()) add.mutate(body.trim());
  };
  return (
    <form onSubmit={submit} data-testid="add-note-form">
      <Textarea
        placeholder={t('contacts.notes.placeholder')}
        aria-label={t('contacts.notes.add')}
        autosize
        minRows={2}
        maxRows={10}
        maxLength={MAX_NOTE}
        value={body}
        onChange={(e) => setBody(e.currentTarget.value)}
        data-testid="note-body"
      />
      <Group justify="flex-end" mt={6}>
        <Button type="submit" size="xs" disabled={!body.trim()} loading={add.isPending} data-testid="add-note">
          {t('contacts.notes.add')}
        </Button>
      </Group>
    </form>
  );
}

function NoteRow({ contactId, note, deletable }: { contactId: string; note: ContactNote; deletable: boolean }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const formatDate = useFormatDate();
  const refresh = useRefreshContacts(org.id);
  const remove = useMutation({ mutationFn: () => deleteNote(org.id, contactId, note.id), onSuccess: () => refresh() });
  return (
    <Paper withBorder radius="sm" p="xs" bg="var(--mantine-color-gray-0)" data-testid="contact-note" data-note-id={note.id}>
      <Group justify="space-between" wrap="nowrap" gap={4}>
        <Text size="xs" c="dimmed">
          <Text span size="xs" fw={600} c="var(--mantine-color-text)">
            {note.authorName}
          </Text>{' '}
          · <span title={note.createdAt}>{formatDate(note.createdAt)}</span>
        </Text>
        {deletable && (
          <ConfirmButton
            size="compact-xs"
            question={t('contacts.notes.deleteQuestion')}
            confirmLabel={t('contacts.notes.delete')}
            onConfirm={() => remove.mutate()}
            loading={remove.isPending}
            data-testid="contact-note-delete"
          >
            {t('contacts.notes.delete')}
          </ConfirmButton>
        )}
      </Group>
      <Text size="sm" mt={2} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="contact-note-body">
        {note.body}
      </Text>
    </Paper>
  );
}
