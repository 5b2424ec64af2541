import { Alert, Anchor, Badge, Button, Group, Loader, Modal, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { createCampaign, deleteCampaign, listCampaigns, type Campaign, type NewCampaign } from '../../api/campaigns.js';
import { describeError } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { campaignPath } from '../../app/paths.js';
import { can } from '../../app/permissions.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { campaignsKey } from './campaign-queries.js';

/** Campaigns: a campaign groups posts and forms; each has a page with what it produced. */
export function CampaignsPage() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const write = can(org.role, 'campaigns.write');
  const [creating, setCreating] = useState(false);
  const campaigns = useQuery({ queryKey: campaignsKey(org.id), queryFn: () => listCampaigns(org.id), meta: { quiet: true } });
  return (
    <Stack gap="md" data-testid="page-campaigns">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('campaigns.title')}</Title>
          <Text c="dimmed" size="sm" maw={720}>
            {t('campaigns.intro')}
          </Text>
        </div>
        {write && (
          <Button size="xs" onClick={() => setCreating(true)} data-testid="new-campaign">
            {t('campaigns.new')}
          </Button>
        )}
      </Group>
      {campaigns.isPending ? (
        <Loader size="sm" />
      ) : campaigns.isError ? (
        <Alert color="red" variant="light" title={t('campaigns.loadFailed')}>
          {describeError(campaigns.error)}
        </Alert>
      ) : campaigns.data.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="campaigns-empty">
          {t('campaigns.empty')}
        </Text>
      ) : (
        <Table striped data-testid="campaigns-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('campaigns.name')}</Table.Th>
              <Table.Th>{t('campaigns.dates')}</Table.Th>
              <Table.Th>{t('campaigns.posts')}</Table.Th>
              <Table.Th>{t('campaigns.forms')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {campaigns.data.map((campaign) => (
              <CampaignRow key={campaign.id} campaign={campaign} write={write} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {creating && <NewCampaignModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

/** "1 May – 31 May", an open end shown as such, or nothing when the campaign has no dates. */
export function CampaignDates({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  if (!campaign.startsOn && !campaign.endsOn)
    return (
      <Text size="sm" c="dimmed">
        {t('campaigns.noDates')}
      </Text>
    );
  return (
    <Text size="sm">
      {campaign.startsOn ?? '…'} – {campaign.endsOn ?? '…'}
    </Text>
  );
}

function CampaignRow({ campaign, write }: { campaign: Campaign; write: boolean }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => deleteCampaign(org.id, campaign.id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: campaignsKey(org.id) }),
  });
  return (
    <Table.Tr data-testid="campaign-row">
      <Table.Td>
        <Anchor component={Link} to={campaignPath(org.id, campaign.id)} size="sm" data-testid="campaign-open">
          {campaign.name}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <CampaignDates campaign={campaign} />
      </Table.Td>
      <Table.Td>
        <Badge variant="light" data-testid="campaign-post-count">
          {campaign.postCount}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" data-testid="campaign-form-count">
          {campaign.formCount}
        </Badge>
      </Table.Td>
      <Table.Td>
        {write && (
          <ConfirmButton
            question={t('campaigns.deleteQuestion')}
            confirmLabel={t('campaigns.delete')}
            onConfirm={() => remove.mutate()}
            data-testid="campaign-delete"
          >
            {t('campaigns.delete')}
          </ConfirmButton>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** Name, description and optional dates; one click is one campaign (the Idempotency-Key contract). */
function NewCampaignModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const create = useIntentMutation({
    meta: { quiet: true },
    mutationFn: (input: NewCampaign, intent) => createCampaign(org.id, input, intent.key()),
    onSuccess: async (campaign) => {
      await queryClient.invalidateQueries({ queryKey: campaignsKey(org.id) });
      onClose();
      void navigate(campaignPath(org.id, campaign.id));
    },
  });
  const datesWrong = startsOn !== '' && endsOn !== '' && endsOn < startsOn;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (datesWrong) return;
    create.mutate({ name: name.trim(), description: description.trim() || null, startsOn: startsOn || null, endsOn: endsOn || null });
  };
  return (
    <Modal opened onClose={onClose} title={t('campaigns.newTitle')} size="lg">
      <form onSubmit={submit} data-testid="campaign-form">
        <Stack gap="sm">
          <TextInput
            label={t('campaigns.name')}
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="campaign-name"
            data-autofocus
          />
          <Textarea
            label={t('campaigns.description')}
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            data-testid="campaign-description"
          />
          <Group grow>
            <TextInput
              type="date"
              label={t('campaigns.startsOn')}
              value={startsOn}
              onChange={(e) => setStartsOn(e.currentTarget.value)}
              data-testid="campaign-starts"
            />
            <TextInput
              type="date"
              label={t('campaigns.endsOn')}
              value={endsOn}
              onChange={(e) => setEndsOn(e.currentTarget.value)}
              error={datesWrong ? t('campaigns.endsBeforeStart') : undefined}
              data-testid="campaign-ends"
            />
          </Group>
          {create.isError && (
            <Alert color="red" variant="light" p="xs" data-testid="campaign-form-error">
              {describeError(create.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={datesWrong} data-testid="campaign-save">
              {t('campaigns.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
