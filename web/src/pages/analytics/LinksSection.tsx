import { Anchor, Button, Group, Paper, ScrollArea, Table, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { analyticsCsvUrl, createLink, type CampaignRow } from '../../api/analytics.js';
import { notifyError } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { analyticsKey, useLinks } from './analytics-queries.js';
import { useNumbers } from './number-format.js';

/** Short links with their clicks, a form to make one, and the campaigns they and the posts belong to. */
export function LinksSection({
  orgId,
  canCreate,
  campaigns,
  from,
  to,
}: {
  orgId: string;
  canCreate: boolean;
  campaigns: CampaignRow[];
  from: string;
  to: string;
}) {
  const { t } = useTranslation();
  const numbers = useNumbers();
  const links = useLinks(orgId);
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [campaign, setCampaign] = useState('');
  const create = useIntentMutation({
    mutationFn: (_: void, intent) => createLink(orgId, { url: url.trim(), ...(campaign.trim() ? { campaign: campaign.trim() } : {}) }, intent.key()),
    onSuccess: () => {
      setUrl('');
      void queryClient.invalidateQueries({ queryKey: analyticsKey(orgId) });
    },
    onError: notifyError,
  });
  return (
    <>
      <Paper withBorder p="md" radius="md" data-testid="links-section" className="analytics-card">
        <Group justify="space-between" align="baseline" mb="xs">
          <Title order={3} size="h4">
            {t('analytics.links.title')}
          </Title>
          <Anchor href={analyticsCsvUrl(orgId, 'links', { from, to })} download size="sm" className="analytics-no-print" data-testid="links-csv">
            {t('analytics.csv')}
          </Anchor>
        </Group>
        {canCreate && (
          <Group align="flex-end" gap="sm" mb="sm" className="analytics-no-print">
            <TextInput
              size="xs"
              w={360}
              label={t('analytics.links.url')}
              placeholder="https://"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              data-testid="link-url"
            />
            <TextInput
              size="xs"
              w={200}
              label={t('analytics.links.campaign')}
              value={campaign}
              maxLength={100}
              onChange={(e) => setCampaign(e.currentTarget.value)}
              data-testid="link-campaign"
            />
            <Button size="xs" onClick={() => create.mutate()} loading={create.isPending} disabled={!url.trim()} data-testid="link-create">
              {t('analytics.links.create')}
            </Button>
          </Group>
        )}
        {links.data && links.data.links.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('analytics.links.none')}
          </Text>
        ) : (
          <ScrollArea>
            <Table striped fz="xs" data-testid="links-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('analytics.links.short')}</Table.Th>
                  <Table.Th>{t('analytics.links.url')}</Table.Th>
                  <Table.Th>{t('analytics.links.campaign')}</Table.Th>
                  <Table.Th>{t('analytics.columns.humanClicks')}</Table.Th>
                  <Table.Th>{t('analytics.columns.botClicks')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(links.data?.links ?? []).map((link) => (
                  <Table.Tr key={link.id}>
                    <Table.Td>
                      <Text size="xs" ff="monospace">
                        {link.shortUrl}
                      </Text>
                    </Table.Td>
                    <Table.Td maw={320}>
                      <Text size="xs" truncate>
                        {link.url}
                      </Text>
                    </Table.Td>
                    <Table.Td>{link.campaign ?? '—'}</Table.Td>
                    <Table.Td>{numbers.count(link.clicks.human)}</Table.Td>
                    <Table.Td>{numbers.count(link.clicks.bot)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        )}
      </Paper>
      <Paper withBorder p="md" radius="md" data-testid="campaigns-section" className="analytics-card">
        <Group justify="space-between" align="baseline" mb="xs">
          <Title order={3} size="h4">
            {t('analytics.campaigns')}
          </Title>
          <Anchor href={analyticsCsvUrl(orgId, 'campaigns', { from, to })} download size="sm" className="analytics-no-print" data-testid="campaigns-csv">
            {t('analytics.csv')}
          </Anchor>
        </Group>
        {campaigns.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('analytics.noCampaigns')}
          </Text>
        ) : (
          <Table striped fz="xs" data-testid="campaigns-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('analytics.links.campaign')}</Table.Th>
                <Table.Th>{t('analytics.columns.posts')}</Table.Th>
                <Table.Th>{t('analytics.columns.engagement')}</Table.Th>
                <Table.Th>{t('analytics.columns.humanClicks')}</Table.Th>
                <Table.Th>{t('analytics.columns.botClicks')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {campaigns.map((c) => (
                <Table.Tr key={c.campaign}>
                  <Table.Td>{c.campaign}</Table.Td>
                  <Table.Td>{numbers.count(c.posts)}</Table.Td>
                  <Table.Td>{numbers.count(c.engagement)}</Table.Td>
                  <Table.Td>{numbers.count(c.humanClicks)}</Table.Td>
                  <Table.Td>{numbers.count(c.botClicks)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </>
  );
}
