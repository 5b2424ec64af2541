import { Alert, Button, EmptyState, Group, Loader, Paper, Select, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contactsCsvUrl } from '../../api/contacts.js';
import { describeError } from '../../app/errors.js';
import { ContactsIcon } from '../../components/icons.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useContactRights, useContacts, useContactTags } from './contact-queries.js';
import { ContactImportModal } from './ContactImportModal.js';
import { ContactRow } from './ContactRow.js';
import { NewContactModal } from './NewContactModal.js';

/** Contacts: search by name, email, company or handle, filter by tag, page on by cursor. */
export function ContactsPage() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const rights = useContactRights();
  const [search, setSearch] = useState('');
  // One request when the typing stops, not one per key.
  const [q] = useDebouncedValue(search.trim(), 300);
  const [tag, setTag] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const tags = useContactTags(org.id);
  const contacts = useContacts(org.id, q, tag);
  const loaded = contacts.data?.pages.flatMap((page) => page.contacts) ?? [];
  const tagOptions = (tags.data ?? []).map(({ tag }) => tag);
  return (
    <Stack gap="md" data-testid="page-contacts">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('contacts.title')}</Title>
          <Text c="dimmed" size="sm" maw={720}>
            {t('contacts.intro')}
          </Text>
        </div>
        <Group gap="xs">
          {/* A plain link: the session cookie goes with it and the browser saves the file. */}
          <Button component="a" href={contactsCsvUrl(org.id, { q, tag })} download size="xs" variant="default" data-testid="contacts-export">
            {t('contacts.exportCsv')}
          </Button>
          {rights.write && (
            <Button size="xs" variant="default" onClick={() => setImporting(true)} data-testid="contacts-import">
              {t('contactImport.button')}
            </Button>
          )}
          {rights.write && (
            <Button size="xs" onClick={() => setCreating(true)} data-testid="new-contact">
              {t('contacts.new.button')}
            </Button>
          )}
        </Group>
      </Group>
      <Group gap="sm">
        <TextInput
          size="xs"
          w={320}
          placeholder={t('contacts.searchPlaceholder')}
          aria-label={t('contacts.search')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          data-testid="contacts-search"
        />
        <Select
          size="xs"
          w={200}
          placeholder={t('contacts.allTags')}
          aria-label={t('contacts.tagFilter')}
          data={(tags.data ?? []).map(({ tag, count }) => ({ value: tag, label: `${tag} (${count})` }))}
          value={tag}
          onChange={setTag}
          clearable
          searchable
          data-testid="contacts-tag-filter"
        />
      </Group>
      {contacts.isPending ? (
        <Loader size="sm" />
      ) : contacts.isError && !contacts.data ? (
        <Alert color="red" variant="light" title={t('contacts.loadFailed')} data-testid="contacts-error">
          {describeError(contacts.error)}
        </Alert>
      ) : loaded.length === 0 ? (
        q || tag ? (
          <Text size="sm" c="dimmed" data-testid="contacts-none-found">
            {t('contacts.noneFound')}
          </Text>
        ) : (
          <NoContactsYet />
        )
      ) : (
        <Stack gap={6} data-testid="contacts-list">
          {loaded.map((contact) => (
            <ContactRow key={contact.id} contact={contact} />
          ))}
          {contacts.hasNextPage && (
            <Button
              size="xs"
              variant="default"
              mx="auto"
              loading={contacts.isFetchingNextPage}
              onClick={() => void contacts.fetchNextPage()}
              data-testid="contacts-more"
            >
              {t('contacts.loadMore')}
            </Button>
          )}
          {contacts.isFetchNextPageError && (
            <Text size="xs" c="red" ta="center">
              {describeError(contacts.error)}
            </Text>
          )}
        </Stack>
      )}
      {creating && <NewContactModal opened onClose={() => setCreating(false)} tagOptions={tagOptions} />}
      {importing && <ContactImportModal onClose={() => setImporting(false)} />}
    </Stack>
  );
}

/** Says where contacts come from: most are added from a stream item. */
function NoContactsYet() {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" py="xl" data-testid="contacts-empty">
      <EmptyState
        icon={
          <ThemeIcon variant="light" size={48} radius="xl">
            <ContactsIcon size={26} />
          </ThemeIcon>
        }
        title={t('contacts.emptyTitle')}
        description={t('contacts.emptyBody')}
      />
    </Paper>
  );
}
