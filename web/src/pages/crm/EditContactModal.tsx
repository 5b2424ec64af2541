import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { editContact, type Contact } from '../../api/contacts.js';
import { describeError } from '../../app/errors.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useRefreshContacts } from './contact-queries.js';

/** Name, email and company; an emptied email or company is cleared (null), not kept. */
export function EditContactModal({ contact, onClose }: { contact: Contact; onClose: () => void }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const refresh = useRefreshContacts(org.id);
  const [displayName, setDisplayName] = useState(contact.displayName);
  const [email, setEmail] = useState(contact.email ?? '');
  const [company, setCompany] = useState(contact.company ?? '');
  const save = useMutation({
    meta: { quiet: true },
    mutationFn: () => editContact(org.id, contact.id, { displayName: displayName.trim(), email: email.trim() || null, company: company.trim() || null }),
    onSuccess: async () => {
      await refresh();
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('contacts.edit.title')}>
      <form onSubmit={submit} data-testid="edit-contact-form">
        <Stack gap="sm">
          <TextInput
            label={t('contacts.fields.name')}
            required
            data-autofocus
            maxLength={200}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            data-testid="edit-contact-name"
          />
          <TextInput
            label={t('contacts.fields.email')}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            data-testid="edit-contact-email"
          />
          <TextInput
            label={t('contacts.fields.company')}
            maxLength={200}
            value={company}
            onChange={(e) => setCompany(e.currentTarget.value)}
            data-testid="edit-contact-company"
          />
          {save.isError && (
            <Alert color="red" variant="light" p="xs">
              {describeError(save.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="edit-contact-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
