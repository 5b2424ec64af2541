import { Button, Group, Indicator, Popover, Stack, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ColumnFilters } from '../../api/streams.js';

const active = (filters: ColumnFilters): number =>
  [filters.language, filters.hasLink, filters.fromContactsOnly, filters.excludeKeywords?.length].filter(Boolean).length;

/** The column's filters (applied by the server): language, has a link, from contacts, words to leave out. */
export function ColumnFiltersButton({ filters, saving, onSave }: { filters: ColumnFilters; saving: boolean; onSave: (filters: ColumnFilters) => void }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [language, setLanguage] = useState(filters.language ?? '');
  const [hasLink, setHasLink] = useState(filters.hasLink ?? false);
  const [fromContactsOnly, setFromContactsOnly] = useState(filters.fromContactsOnly ?? false);
  const [excludeKeywords, setExcludeKeywords] = useState<string[]>(filters.excludeKeywords ?? []);
  const open = () => {
    setLanguage(filters.language ?? '');
    setHasLink(filters.hasLink ?? false);
    setFromContactsOnly(filters.fromContactsOnly ?? false);
    setExcludeKeywords(filters.excludeKeywords ?? []);
    setOpened(true);
  };
  const save = () => {
    const next: ColumnFilters = {};
    if (language.trim()) next.language = language.trim().toLowerCase();
    if (hasLink) next.hasLink = true;
    if (fromContactsOnly) next.fromContactsOnly = true;
    if (excludeKeywords.length) next.excludeKeywords = excludeKeywords;
    onSave(next);
    setOpened(false);
  };
  const count = active(filters);
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" shadow="md" withArrow trapFocus>
      {/* The button, not the badge around it, is the popover's target: it carries aria-expanded. */}
      <Indicator disabled={count === 0} label={count} size={14} offset={2}>
        <Popover.Target>
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            onClick={() => (opened ? setOpened(false) : open())}
            data-testid="column-filters"
            data-active={count}
          >
            {t('streams.filters.button')}
          </Button>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown w={280} data-testid="column-filters-form">
        <Stack gap="sm">
          <Text size="sm" fw={600}>
            {t('streams.filters.title')}
          </Text>
          <TextInput
            size="xs"
            label={t('streams.filters.language')}
            description={t('streams.filters.languageHint')}
            placeholder="ja"
            value={language}
            maxLength={12}
            onChange={(e) => setLanguage(e.currentTarget.value)}
            data-testid="filter-language"
          />
          <Switch
            size="xs"
            label={t('streams.filters.hasLink')}
            checked={hasLink}
            onChange={(e) => setHasLink(e.currentTarget.checked)}
            data-testid="filter-has-link"
          />
          <Switch
            size="xs"
            label={t('streams.filters.fromContactsOnly')}
            description={t('streams.filters.fromContactsHint')}
            checked={fromContactsOnly}
            onChange={(e) => setFromContactsOnly(e.currentTarget.checked)}
            data-testid="filter-contacts"
          />
          <TagsInput
            size="xs"
            label={t('streams.filters.exclude')}
            description={t('streams.filters.excludeHint')}
            value={excludeKeywords}
            onChange={setExcludeKeywords}
            maxTags={50}
            clearable
            data-testid="filter-exclude"
            comboboxProps={{ withinPortal: false }}
          />
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={() => setOpened(false)}>
              {t('common.cancel')}
            </Button>
            <Button size="xs" onClick={save} loading={saving} data-testid="filter-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
