import { Alert, Button, EmptyState, Group, Loader, NumberInput, Paper, Select, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { contactsCsvUrl } from '../../api/contacts.js';
import { describeError } from '../../app/errors.js';
import { ContactsIcon } from '../../components/icons.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { anyFilter, filtersFromSearch, wholeNumber, withFilter, type ContactListFilters } from './contact-list-filters.js';
import { useContactRights, useContacts, useContactTags } from './contact-queries.js';
import { ContactImportModal } from './ContactImportModal.js';
import { ContactRow } from './ContactRow.js';
import { NewContactModal } from './NewContactModal.js';
import { useCrmSettings, useMembers } from './pipeline/pipeline-queries.js';
import { stageOptions } from './stage-names.js';
import { useAddressField } from './use-address-field.js';

/**
 * Contacts: search by name, email, company or handle, filter by tag, stage, owner and lowest score,
 * page on by cursor. The filters live in the address, so a filtered view can be bookmarked.
 */
export function ContactsPage() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const rights = useContactRights();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromSearch(params);
  const setFilter = (name: keyof ContactListFilters, value: string | number | null) =>
    setParams((current) => withFilter(current, name, value), { replace: true });
  const [search, setSearch] = useAddressField(
    filters.q,
    (q) => setFilter('q', q),
    (typed) => typed.trim(),
  );
  const { q, tag } = filters;
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const tags = useContactTags(org.id);
  const contacts = useContacts(org.id, filters);
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
          <Button component="a" href={contactsCsvUrl(org.id, filters)} download size="xs" variant="default" data-testid="contacts-export">
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
          onChange={(value) => setFilter('tag', value)}
          clearable
          searchable
          data-testid="contacts-tag-filter"
        />
        <PipelineFilters filters={filters} setFilter={setFilter} />
      </Group>
      {contacts.isPending ? (
        <Loader size="sm" />
      ) : contacts.isError && !contacts.data ? (
        <Alert color="red" variant="light" title={t('contacts.loadFailed')} data-testid="contacts-error">
          {describeError(contacts.error)}
        </Alert>
      ) : loaded.length === 0 ? (
        anyFilter(filters) ? (
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

/** Stage, owner ("Me", "Nobody" or a member) and lowest score. */
function PipelineFilters({
  filters,
  setFilter,
}: {
  filters: ContactListFilters;
  setFilter: (name: keyof ContactListFilters, value: string | number | null) => void;
}) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const settings = useCrmSettings(org.id);
  const [minScore, setMinScore] = useAddressField(
    filters.minScore === null ? '' : String(filters.minScore),
    (value) => setFilter('minScore', value === '' ? null : Number(value)),
    (typed) => String(wholeNumber(typed) ?? ''),
  );
  const members = useMembers(org.id);
  const stages = settings.data?.stages ?? [];
  const owners = [
    { value: 'me', label: t('contacts.filters.me') },
    { value: 'none', label: t('contacts.filters.nobody') },
    ...(members.data ?? []).map((m) => ({ value: m.userId, label: m.name })),
  ];
  // A bookmarked owner who has since left still shows as the filter it is.
  if (filters.owner && !owners.some((o) => o.value === filters.owner)) owners.push({ value: filters.owner, label: filters.owner });
  return (
    <>
      <Select
        size="xs"
        w={180}
        placeholder={t('contacts.filters.allStages')}
        aria-label={t('contacts.filters.stage')}
        data={stageOptions(filters.stage && !stages.includes(filters.stage) ? [...stages, filters.stage] : stages, t)}
        value={filters.stage}
        onChange={(value) => setFilter('stage', value)}
        clearable
        data-testid="contacts-stage-filter"
      />
      <Select
        size="xs"
        w={180}
        placeholder={t('contacts.filters.anyOwner')}
        aria-label={t('contacts.filters.owner')}
        data={owners}
        value={filters.owner}
        onChange={(value) => setFilter('owner', value)}
        clearable
        searchable
        data-testid="contacts-owner-filter"
      />
      <NumberInput
        size="xs"
        w={140}
        placeholder={t('contacts.filters.minScore')}
        aria-label={t('contacts.filters.minScore')}
        allowDecimal={false}
        value={minScore}
        onChange={(value) => setMinScore(String(value))}
        data-testid="contacts-min-score-filter"
      />
    </>
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
