import { Avatar, Badge, Box, Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Contact } from '../../api/contacts.js';
import { contactPath } from '../../app/paths.js';
import { useFormatDate } from '../../components/format.js';
import { NetworkIcon } from '../../components/NetworkIcon.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { stageLabel } from './stage-names.js';

/** One contact in the list: who, where they are, how they are tagged, their stage, score and owner, when last heard from; opens the contact. */
export function ContactRow({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const formatDate = useFormatDate();
  return (
    <Paper
      withBorder
      radius="sm"
      p="xs"
      component={Link}
      to={contactPath(org.id, contact.id)}
      style={{ color: 'inherit', textDecoration: 'none' }}
      data-testid="contact-row"
      data-contact-id={contact.id}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ContactAvatar contact={contact} size={36} />
        <Box style={{ minWidth: 0, flex: 1 }}>
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={600} truncate data-testid="contact-row-name">
              {contact.displayName}
            </Text>
            {contact.company && (
              <Text size="xs" c="dimmed" truncate>
                · {contact.company}
              </Text>
            )}
          </Group>
          <Group gap={8} mt={2}>
            {contact.identities.map((identity) => (
              <Group key={identity.id} gap={4} wrap="nowrap">
                <NetworkIcon network={identity.network} size={14} />
                <Text size="xs" c="dimmed">
                  {identity.handle}
                </Text>
              </Group>
            ))}
          </Group>
          {contact.tags.length > 0 && (
            <Group gap={4} mt={4}>
              {contact.tags.map((tag) => (
                <Badge key={tag} size="xs" variant="light" color="gray" data-testid="contact-row-tag">
                  {tag}
                </Badge>
              ))}
            </Group>
          )}
        </Box>
        <Box ta="right" style={{ flex: 'none' }}>
          <Group gap={6} justify="flex-end" wrap="nowrap">
            <Badge size="xs" variant="light" data-testid="contact-row-stage">
              {stageLabel(contact.stage, t)}
            </Badge>
            <Text size="xs" fw={600} data-testid="contact-row-score">
              {t('pipeline.score', { score: contact.score })}
            </Text>
          </Group>
          <Text size="xs" c="dimmed" data-testid="contact-row-owner">
            {contact.ownerUserId ? t('contacts.ownedBy', { name: contact.ownerName ?? contact.ownerUserId }) : t('pipeline.noOwner')}
          </Text>
          <Text size="xs" c="dimmed" title={contact.lastSeenAt ?? undefined}>
            {contact.lastSeenAt ? t('contacts.lastSeen', { when: formatDate(contact.lastSeenAt) }) : t('contacts.neverSeen')}
          </Text>
          <Text size="xs" c="dimmed" data-testid="contact-row-notes">
            {t('contacts.noteCount', { count: contact.noteCount })}
          </Text>
        </Box>
      </Group>
    </Paper>
  );
}

/** The contact's avatar (already through the image proxy), else its initial. */
export function ContactAvatar({ contact, size }: { contact: Pick<Contact, 'avatarUrl' | 'displayName'>; size: number }) {
  return (
    <Avatar src={contact.avatarUrl} size={size} radius="xl" alt="" imageProps={{ loading: 'lazy', referrerPolicy: 'no-referrer' }}>
      {[...(contact.displayName || '?')][0]}
    </Avatar>
  );
}
