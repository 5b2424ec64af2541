import { Alert, Anchor, Badge, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { getCampaign, type CampaignReport } from '../../api/campaigns.js';
import { describeError } from '../../app/errors.js';
import { campaignConversationsPath, orgPath } from '../../app/paths.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { stageLabel } from '../crm/stage-names.js';
import { campaignKey } from './campaign-queries.js';
import { CampaignDates } from './CampaignsPage.js';

/** One campaign and what it produced: posts, forms and submissions, new contacts by stage, clicks (people and crawlers apart). */
export function CampaignPage() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const { campaignId = '' } = useParams();
  const detail = useQuery({ queryKey: campaignKey(org.id, campaignId), queryFn: () => getCampaign(org.id, campaignId), meta: { quiet: true } });
  return (
    <Stack gap="md" data-testid="page-campaign">
      <Anchor component={Link} to={orgPath(org.id, 'campaigns')} size="sm">
        {t('campaigns.back')}
      </Anchor>
      {detail.isPending ? (
        <Loader size="sm" />
      ) : detail.isError ? (
        <Alert color="red" variant="light" title={t('campaigns.loadFailed')} data-testid="campaign-error">
          {describeError(detail.error)}
        </Alert>
      ) : (
        <>
          <div>
            <Title order={2} data-testid="campaign-title">
              {detail.data.campaign.name}
            </Title>
            <CampaignDates campaign={detail.data.campaign} />
            {detail.data.campaign.description && (
              <Text size="sm" c="dimmed" maw={720} style={{ whiteSpace: 'pre-wrap' }}>
                {detail.data.campaign.description}
              </Text>
            )}
          </div>
          <Report campaignId={campaignId} report={detail.data.report} />
        </>
      )}
    </Stack>
  );
}

function Figure({ label, value, testId }: { label: string; value: ReactNode; testId: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

function Report({ campaignId, report }: { campaignId: string; report: CampaignReport }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const newContacts = report.newContactsByStage.reduce((sum, s) => sum + s.count, 0);
  return (
    <Stack gap="md" data-testid="campaign-report">
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        <Figure label={t('campaigns.report.posts')} value={report.posts.length} testId="report-posts" />
        <Figure label={t('campaigns.report.submissions')} value={report.submissions} testId="report-submissions" />
        <Figure label={t('campaigns.report.newContacts')} value={newContacts} testId="report-new-contacts" />
        <Figure label={t('campaigns.report.humanClicks')} value={report.clicks.human} testId="report-clicks-human" />
        <Figure label={t('campaigns.report.botClicks')} value={report.clicks.bot} testId="report-clicks-bot" />
      </SimpleGrid>
      <Anchor component={Link} to={campaignConversationsPath(org.id, campaignId)} size="sm" w="fit-content" data-testid="report-conversations">
        {t('campaigns.report.conversations', { count: report.conversations })}
      </Anchor>
      <Title order={3} size="h4">
        {t('campaigns.report.byStage')}
      </Title>
      {report.newContactsByStage.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('campaigns.report.noContacts')}
        </Text>
      ) : (
        <Group gap="xs" data-testid="report-stages">
          {report.newContactsByStage.map((s) => (
            <Badge key={s.stage} variant="light" size="lg">
              {stageLabel(s.stage, t)}: {s.count}
            </Badge>
          ))}
        </Group>
      )}
      <Title order={3} size="h4">
        {t('campaigns.report.postsTitle')}
      </Title>
      {report.posts.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('campaigns.report.noPosts')}
        </Text>
      ) : (
        <Table data-testid="report-post-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('campaigns.report.postText')}</Table.Th>
              <Table.Th>{t('campaigns.report.postStatus')}</Table.Th>
              <Table.Th>{t('campaigns.report.postDue')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.posts.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.text.length > 120 ? `${p.text.slice(0, 120)}…` : p.text}</Table.Td>
                <Table.Td>{p.status}</Table.Td>
                <Table.Td>{p.dueAt ? new Date(p.dueAt).toLocaleString() : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Title order={3} size="h4">
        {t('campaigns.report.formsTitle')}
      </Title>
      {report.forms.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('campaigns.report.noForms')}
        </Text>
      ) : (
        <Table data-testid="report-form-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('campaigns.report.formName')}</Table.Th>
              <Table.Th>{t('campaigns.report.submissions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.forms.map((f) => (
              <Table.Tr key={f.id}>
                <Table.Td>{f.name}</Table.Td>
                <Table.Td>{f.submissionCount}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
