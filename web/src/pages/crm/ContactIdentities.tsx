import { Anchor, Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addIdentity, removeIdentity, type Contact, type ContactIdentity, type IdentityInput } from '../../api/contacts.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { NetworkIcon } from '../../components/NetworkIcon.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useContactRights, useRefreshContacts } from './contact-queries.js';
import { IdentityFields } from './IdentityFields.js';
import { useIntentMutation } from '../../app/intent-mutation.js';

/** Where the contact is on each network; their items are found by these. */
export function ContactIdentities({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const rights = useContactRights();
  return (
    <Paper withBorder radius="md" p="md" data-testid="contact-identities">
      <Title order={5} mb="xs">
        {t('contacts.identities.title')}
      </Title>
      {contact.identities.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('contacts.identities.none')}
        </Text>
      ) : (
        <Stack gap={6}>
          {contact.identities.map((identity) => (
            <IdentityRow key={identity.id} contactId={contact.id} identity={identity} removable={rights.write} />
          ))}
        </Stack>
      )}
      {rights.write && <AddIdentityForm contactId={contact.id} />}
    </Paper>
  );
}

function IdentityRow({ contactId, identity, removable }: { contactId: string; identity: ContactIdentity; removable: boolean }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const refresh = useRefreshContacts(org.id);
  const remove = useMutation({
    mutationFn: () => removeIdentity(org.id, contactId, identity.id),
    // Its items leave the timeline with it.
    onSuccess: () => refresh({ timelines: true }),
  });
  return (
    <Group gap={8} wrap="nowrap" data-testid="contact-identity" data-network={identity.network}>
      <NetworkIcon network={identity.network} size={18} />
      <Box style={{ minWidth: 0, flex: 1 }}>
        {identity.profileUrl ? (
          <Anchor href={identity.profileUrl} target="_blank" rel="noopener noreferrer" size="sm" truncate display="block" data-testid="contact-identity-handle">
            {identity.handle}
          </Anchor>
        ) : (
          <Text size="sm" truncate data-testid="contact-identity-handle">
            {identity.handle}
          </Text>
        )}
        {identity.displayName && (
          <Text size="xs" c="dimmed" truncate>
            {identity.displayName} · {t(`networks.${identity.network}`)}
          </Text>
        )}
      </Box>
      {removable && (
        <ConfirmButton
          size="compact-xs"
          question={t('contacts.identities.removeQuestion', { handle: identity.handle })}
          confirmLabel={t('contacts.identities.remove')}
          onConfirm={() => remove.mutate()}
          loading={remove.isPending}
          data-testid="contact-identity-remove"
        >
          {t('contacts.identities.remove')}
        </ConfirmButton>
      )}
    </Group>
  );
}

function AddIdentityForm({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const refresh = useRefreshContacts(org.id);
  const [identity, setIdentity] = useState<IdentityInput>({ network: 'bluesky', handle: '' });
  const add = useIntentMutation({
    // invalid_identity and identity_taken are shown at the field.
    meta: { quiet: true },
    mutationFn: (input: IdentityInput, intent) => addIdentity(org.id, contactId, input, intent.key()),
    onSuccess: async () => {
      setIdentity((current) => ({ ...current, handle: '' }));
      await refresh({ timelines: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (identity.handle.trim()) add.mutate({ network: identity.network, handle: identity.handle.trim() });
  };
  return (
    <form onSubmit={submit} data-testid="add-identity-form">
      <Stack gap={6} mt="sm" pt="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
        <IdentityFields
          value={identity}
          onChange={(value) => {
            setIdentity(value);
            add.reset();
          }}
          error={add.error}
          required
        />
        <Group justify="flex-end">
          <Button type="submit" size="xs" variant="light" loading={add.isPending} data-testid="add-identity">
            {t('contacts.identities.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
