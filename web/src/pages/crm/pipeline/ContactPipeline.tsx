import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  NumberInput,
  Paper,
  Popover,
  Select,
  Stack,
  Table,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listCompanies, type ContactPipelineView, type CrmSettingsView } from '../../../api/crm-pipeline.js';
import { companiesKey } from '../companies/CompaniesPage.js';
import { describeError } from '../../../app/errors.js';
import { useCurrentOrg } from '../../../shell/current-org.js';
import { useContactRights } from '../contact-queries.js';
import { definedFieldValues } from '../settings/crm-settings-draft.js';
import { stageOptions } from '../stage-names.js';
import { useCrmSettings, useEditPipeline, useMembers, usePipeline, useScoreExplanation } from './pipeline-queries.js';

/** The contact's place in the pipeline: stage, lead score (and why), owner, phones, custom fields. */
export function ContactPipeline({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const pipeline = usePipeline(org.id, contactId);
  const settings = useCrmSettings(org.id);
  if (pipeline.isPending || settings.isPending) return <Loader size="sm" />;
  if (pipeline.isError || settings.isError) {
    return (
      <Alert color="red" variant="light" title={t('pipeline.loadFailed')}>
        {describeError(pipeline.error ?? settings.error)}
      </Alert>
    );
  }
  return <PipelineForm contactId={contactId} pipeline={pipeline.data} settings={settings.data} />;
}

function PipelineForm({ contactId, pipeline, settings }: { contactId: string; pipeline: ContactPipelineView; settings: CrmSettingsView }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const rights = useContactRights();
  const members = useMembers(org.id);
  const edit = useEditPipeline(org.id, contactId);
  const [phones, setPhones] = useState(pipeline.phones);
  const [fields, setFields] = useState(pipeline.customFields);
  const readOnly = !rights.write;
  const memberOptions = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name }));
  if (pipeline.ownerUserId && !memberOptions.some((m) => m.value === pipeline.ownerUserId))
    memberOptions.push({ value: pipeline.ownerUserId, label: pipeline.ownerName ?? pipeline.ownerUserId });
  const companies = useQuery({ queryKey: companiesKey(org.id), queryFn: () => listCompanies(org.id), meta: { quiet: true } });
  const companyOptions = (companies.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  if (pipeline.companyId && !companyOptions.some((c) => c.value === pipeline.companyId))
    companyOptions.push({ value: pipeline.companyId, label: pipeline.companyName ?? pipeline.companyId });
  const stages = settings.stages.includes(pipeline.stage) ? settings.stages : [...settings.stages, pipeline.stage];
  return (
    <Paper withBorder radius="md" p="md" data-testid="contact-pipeline">
      <Group justify="space-between" mb="xs">
        <Title order={5}>{t('pipeline.title')}</Title>
        <ScoreBadge contactId={contactId} score={pipeline.score} />
      </Group>
      <Stack gap="sm">
        <Select
          label={t('pipeline.stage')}
          data={stageOptions(stages, t)}
          value={pipeline.stage}
          allowDeselect={false}
          readOnly={readOnly}
          onChange={(stage) => stage && stage !== pipeline.stage && edit.mutate({ stage })}
          data-testid="pipeline-stage"
        />
        <Select
          label={t('pipeline.owner')}
          placeholder={t('pipeline.noOwner')}
          data={memberOptions}
          value={pipeline.ownerUserId}
          clearable
          readOnly={readOnly}
          onChange={(ownerUserId) => ownerUserId !== pipeline.ownerUserId && edit.mutate({ ownerUserId })}
          data-testid="pipeline-owner"
        />
        <Select
          label={t('pipeline.company')}
          placeholder={t('pipeline.noCompany')}
          data={companyOptions}
          value={pipeline.companyId}
          clearable
          searchable
          readOnly={readOnly}
          onChange={(companyId) => companyId !== pipeline.companyId && edit.mutate({ companyId })}
          data-testid="pipeline-company"
        />
        <TagsInput label={t('pipeline.phones')} value={phones} onChange={setPhones} readOnly={readOnly} maxTags={10} data-testid="pipeline-phones" />
        {settings.customFields.map((field) => {
          const value = fields[field.key] ?? null;
          const set = (v: string | number | boolean | null) => setFields({ ...fields, [field.key]: v });
          if (field.type === 'boolean')
            return <Checkbox key={field.key} label={field.label} checked={value === true} disabled={readOnly} onChange={(e) => set(e.currentTarget.checked)} />;
          if (field.type === 'number')
            return (
              <NumberInput
                key={field.key}
                label={field.label}
                value={typeof value === 'number' ? value : ''}
                readOnly={readOnly}
                onChange={(v) => set(typeof v === 'number' ? v : null)}
              />
            );
          return (
            <TextInput
              key={field.key}
              type={field.type === 'date' ? 'date' : 'text'}
              label={field.label}
              value={typeof value === 'string' ? value : ''}
              readOnly={readOnly}
              onChange={(e) => set(e.currentTarget.value || null)}
            />
          );
        })}
        {rights.write && (
          <Group>
            <Button
              size="xs"
              loading={edit.isPending}
              onClick={() => edit.mutate({ phones, customFields: definedFieldValues(settings.customFields, fields) })}
              data-testid="pipeline-save"
            >
              {t('pipeline.save')}
            </Button>
          </Group>
        )}
        {edit.isError && (
          <Alert color="red" variant="light">
            {describeError(edit.error)}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

/** The lead score; "Why N?" lists each scoring rule that counted, how often, and what it added. */
function ScoreBadge({ contactId, score }: { contactId: string; score: number }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const [open, setOpen] = useState(false);
  const why = useScoreExplanation(org.id, contactId, open);
  return (
    <Group gap="xs">
      <Badge variant="light" size="lg" data-testid="pipeline-score">
        {t('pipeline.score', { score })}
      </Badge>
      <Popover opened={open} onChange={setOpen} width={320} position="bottom-end" withArrow>
        <Popover.Target>
          <Button size="compact-xs" variant="subtle" onClick={() => setOpen((o) => !o)} data-testid="pipeline-score-why">
            {t('pipeline.why', { score })}
          </Button>
        </Popover.Target>
        <Popover.Dropdown data-testid="pipeline-score-explanation">
          {why.isPending ? (
            <Loader size="xs" />
          ) : why.isError ? (
            <Text size="sm">{describeError(why.error)}</Text>
          ) : why.data.lines.length === 0 ? (
            <Text size="sm">{t('pipeline.noPoints')}</Text>
          ) : (
            <Table>
              <Table.Tbody>
                {why.data.lines.map((line) => (
                  <Table.Tr key={line.kind}>
                    <Table.Td>{t(`pipeline.kinds.${line.kind}`)}</Table.Td>
                    <Table.Td>
                      {line.count} × {line.points}
                    </Table.Td>
                    <Table.Td>{line.subtotal}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}
