import { Badge, Box, Button, Group, Paper, TagsInput, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { deleteContact, editContact, type Contact } from '../../api/contacts.js';
import { notifySuccess } from '../../app/errors.js';
import { orgPath } from '../../app/paths.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useFormatDate } from '../../components/format.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { contactKey, useContactRights, useContactTags, useRefreshContacts } from './contact-queries.js';
import { ContactAvatar } from './ContactRow.js';
import { EditContactModal } from './EditContactModal.js';
import { MergeContactModal } from './MergeContactModal.js';

/** Who the contact is (name, email, company, tags) and what can be done to the whole contact. */
export function ContactHeader({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const client = useQueryClient();
  const navigate = useNavigate();
  const formatDate = useFormatDate();
  const rights = useContactRights();
  const refresh = useRefreshContacts(org.id);
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteContact(org.id, contact.id),
    onSuccess: async () => {
      notifySuccess(t('contacts.deleted', { name: contact.displayName }));
      await navigate(orgPath(org.id, 'contacts'));
      // Gone: reading it again would only answer 404.
      client.removeQueries({ queryKey: contactKey(org.id, contact.id) });
      await refresh({ timelines: true });
    },
  });
  return (
    <Paper withBorder radius="md" p="md" data-testid="contact-header">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Group gap="md" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
          <ContactAvatar contact={contact} size={56} />
          <Box style={{ minWidth: 0 }}>
            <Title order={3} data-testid="contact-name-heading">
              {contact.displayName}
            </Title>
            <Group gap="xs">
              {contact.company && (
                <Text size="sm" data-testid="contact-company-text">
                  {contact.company}
                </Text>
              )}
              {contact.email && (
                <Text size="sm" c="dimmed" component="a" href={`mailto:${contact.email}`} data-testid="contact-email-text">
                  {contact.email}
                </Text>
              )}
            </Group>
            <Text size="xs" c="dimmed" mt={2}>
              {contact.lastSeenAt ? t('contacts.lastSeen', { when: formatDate(contact.lastSeenAt) }) : t('contacts.neverSeen')} ·{' '}
              {t('contacts.addedOn', { when: formatDate(contact.createdAt) })}
            </Text>
          </Box>
        </Group>
        {rights.write && (
          <Group gap={4} wrap="nowrap" style={{ flex: 'none' }}>
            <Button size="xs" variant="default" onClick={() => setEditing(true)} data-testid="contact-edit">
              {t('contacts.edit.button')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setMerging(true)} data-testid="contact-merge">
              {t('contacts.merge.button')}
            </Button>
            <ConfirmButton
              question={t('contacts.deleteQuestion', { name: contact.displayName })}
              confirmLabel={t('contacts.delete')}
              onConfirm={() => remove.mutate()}
              loading={remove.isPending}
              data-testid="contact-delete"
            >
              {t('contacts.delete')}
            </ConfirmButton>
          </Group>
        )}
      </Group>
      <ContactTags contact={contact} editable={rights.write} />
      {editing && <EditContactModal contact={contact} onClose={() => setEditing(false)} />}
      {merging && <MergeContactModal contact={contact} onClose={() => setMerging(false)} />}
    </Paper>
  );
}

/** Tags saved as they are typed or removed; the server lowercases and sorts them. */
function ContactTags({ contact, editable }: { contact: Contact; editable: boolean }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const refresh = useRefreshContacts(org.id);
  const known = useContactTags(org.id);
  const save = useMutation({
    mutationFn: (tags: string[]) => editContact(org.id, contact.id, { tags }),
    onSuccess: () => refresh(),
  });
  if (!editable)
    return contact.tags.length === 0 ? null : (
      <Group gap={4} mt="sm">
        {contact.tags.map((tag) => (
          <Badge key={tag} size="sm" variant="light" color="gray">
            {tag}
          </Badge>
        ))}
      </Group>
    );
  return (
    <TagsInput
      mt="sm"
      size="xs"
      label={t('contacts.fields.tags')}
      placeholder={t('contacts.fields.tagsHint')}
      data={(known.data ?? []).map(({ tag }) => tag)}
      // What was just typed shows at once; the saved (normalized) tags replace it when they arrive.
      value={save.isPending ? save.variables : contact.tags}
      onChange={(tags) => save.mutate(tags)}
      clearable
      data-testid="contact-tags-input"
    />
  );
}
