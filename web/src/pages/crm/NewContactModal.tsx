import { Alert, Button, Group, Modal, Stack, TagsInput, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client.js';
import { createContact, type IdentityInput, type NewContact } from '../../api/contacts.js';
import { describeError } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { contactPath } from '../../app/paths.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useRefreshContacts } from './contact-queries.js';
import { IdentityFields } from './IdentityFields.js';

const isIdentityError = (error: unknown) => error instanceof ApiError && (error.code === 'invalid_identity' || error.code === 'identity_taken');

/** Adds a contact by hand (most come from stream items) and opens it. */
export function NewContactModal({ opened, onClose, tagOptions }: { opened: boolean; onClose: () => void; tagOptions: string[] }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const navigate = useNavigate();
  const refresh = useRefreshContacts(org.id);
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [company, setCompany] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [identity, setIdentity] = useState<IdentityInput>({ network: 'bluesky', handle: '' });
  const create = useIntentMutation({
    meta: { quiet: true },
    mutationFn: (input: NewContact, intent) => createContact(org.id, input, intent.key()),
    onSuccess: async ({ contact }) => {
      await refresh({ timelines: contact.identities.length > 0 });
      onClose();
      await navigate(contactPath(org.id, contact.id));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      displayName: displayName.trim(),
      ...(email.trim() ? { email: email.trim() } : {}),
      ...(company.trim() ? { company: company.trim() } : {}),
      ...(tags.length ? { tags } : {}),
      ...(identity.handle.trim() ? { identities: [{ network: identity.network, handle: identity.handle.trim() }] } : {}),
    });
  };
  const identityError = isIdentityError(create.error) ? create.error : null;
  return (
    <Modal opened={opened} onClose={onClose} title={t('contacts.new.title')} size="lg">
      <form onSubmit={submit} data-testid="new-contact-form">
        <Stack gap="sm">
          <TextInput
            label={t('contacts.fields.name')}
            required
            data-autofocus
            maxLength={200}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            data-testid="contact-name"
          />
          <Group grow gap="sm">
            <TextInput
              label={t('contacts.fields.email')}
              type="email"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              data-testid="contact-email"
            />
            <TextInput
              label={t('contacts.fields.company')}
              maxLength={200}
              value={company}
              onChange={(e) => setCompany(e.currentTarget.value)}
              data-testid="contact-company"
            />
          </Group>
          <TagsInput
            label={t('contacts.fields.tags')}
            description={t('contacts.fields.tagsHint')}
            data={tagOptions}
            value={tags}
            onChange={setTags}
            clearable
            data-testid="contact-tags"
          />
          <IdentityFields value={identity} onChange={setIdentity} error={identityError} />
          {create.isError && !identityError && (
            <Alert color="red" variant="light" p="xs">
              {describeError(create.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="new-contact-save">
              {t('contacts.new.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
