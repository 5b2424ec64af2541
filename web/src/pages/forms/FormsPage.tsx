import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Loader,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { createForm, deleteForm, FORM_FIELD_TYPES, getForm, listForms, type FieldDraft, type Form, type FormFieldType } from '../../api/forms.js';
import { describeError } from '../../app/errors.js';
import { contactPath } from '../../app/paths.js';
import { can } from '../../app/permissions.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useCurrentOrg } from '../../shell/current-org.js';

const formsKey = (orgId: string) => ['org', orgId, 'forms'] as const;

/** Lead capture forms: build one, share its public URL or embed snippet, see its submissions. */
export function FormsPage() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const write = can(org.role, 'forms.write');
  const [building, setBuilding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const forms = useQuery({ queryKey: formsKey(org.id), queryFn: () => listForms(org.id), meta: { quiet: true } });
  return (
    <Stack gap="md" data-testid="page-forms">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('forms.title')}</Title>
          <Text c="dimmed" size="sm" maw={720}>
            {t('forms.intro')}
          </Text>
        </div>
        {write && (
          <Button size="xs" onClick={() => setBuilding(true)} data-testid="new-form">
            {t('forms.new')}
          </Button>
        )}
      </Group>
      {forms.isPending ? (
        <Loader size="sm" />
      ) : forms.isError ? (
        <Alert color="red" variant="light" title={t('forms.loadFailed')}>
          {describeError(forms.error)}
        </Alert>
      ) : forms.data.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="forms-empty">
          {t('forms.empty')}
        </Text>
      ) : (
        <Table striped data-testid="forms-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('forms.name')}</Table.Th>
              <Table.Th>{t('forms.submissions')}</Table.Th>
              <Table.Th>{t('forms.links')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {forms.data.map((form) => (
              <FormRow key={form.id} form={form} write={write} onOpen={() => setOpen(form.id)} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {building && <FormBuilder onClose={() => setBuilding(false)} />}
      {open && <FormDetail formId={open} onClose={() => setOpen(null)} />}
    </Stack>
  );
}

function Copy({ value, label, testId }: { value: string; label: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button size="xs" variant="subtle" color={copied ? 'teal' : undefined} onClick={copy} data-testid={testId}>
          {copied ? t('common.copied') : label}
        </Button>
      )}
    </CopyButton>
  );
}

function FormRow({ form, write, onOpen }: { form: Form; write: boolean; onOpen: () => void }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const queryClient = useQueryClient();
  const remove = useMutation({ mutationFn: () => deleteForm(org.id, form.id), onSettled: () => queryClient.invalidateQueries({ queryKey: formsKey(org.id) }) });
  return (
    <Table.Tr data-testid="form-row">
      <Table.Td>
        <Button variant="subtle" size="xs" onClick={onOpen} data-testid="form-open">
          {form.name}
        </Button>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" data-testid="form-submission-count">
          {form.submissionCount}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          <Button component="a" href={form.publicUrl} target="_blank" rel="noopener noreferrer" size="xs" variant="subtle" data-testid="form-public-link">
            {t('forms.openPublic')}
          </Button>
          <Copy value={form.publicUrl} label={t('forms.copyUrl')} testId="form-copy-url" />
          <Copy value={form.embedSnippet} label={t('forms.copySnippet')} testId="form-copy-snippet" />
        </Group>
      </Table.Td>
      <Table.Td>
        {write && (
          <ConfirmButton question={t('forms.deleteQuestion')} confirmLabel={t('forms.delete')} onConfirm={() => remove.mutate()} data-testid="form-delete">
            {t('forms.delete')}
          </ConfirmButton>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

const blankField = (): FieldDraft => ({ name: '', label: '', type: 'text', required: false });

/** Fields by name, label, type and whether required; starts with the email field every form needs. */
function FormBuilder({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [consent, setConsent] = useState('');
  const [fields, setFields] = useState<FieldDraft[]>([
    { name: 'name', label: t('forms.defaults.name'), type: 'text', required: true },
    { name: 'email', label: t('forms.defaults.email'), type: 'email', required: true },
  ]);
  const create = useIntentMutation({
    meta: { quiet: true },
    mutationFn: (input: Parameters<typeof createForm>[1], intent) => createForm(org.id, input, intent.key()),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: formsKey(org.id) });
      onClose();
    },
  });
  const change = (index: number, patch: Partial<FieldDraft>) => setFields((all) => all.map((f, i) => (i === index ? { ...f, ...patch } : f)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      name: name.trim(),
      fields: fields.map((f) => ({ name: f.name.trim(), type: f.type, required: f.required, ...(f.label?.trim() ? { label: f.label.trim() } : {}) })),
      consentText: consent.trim() || null,
    });
  };
  const typeOptions = FORM_FIELD_TYPES.map((type) => ({ value: type, label: t(`forms.types.${type}`) }));
  return (
    <Modal opened onClose={onClose} title={t('forms.builderTitle')} size="xl">
      <form onSubmit={submit} data-testid="form-builder">
        <Stack gap="sm">
          <TextInput
            label={t('forms.name')}
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="form-name"
            data-autofocus
          />
          <Text fw={600} size="sm">
            {t('forms.fields')}
          </Text>
          {fields.map((field, index) => (
            <Group key={index} gap="xs" align="flex-end" wrap="nowrap" data-testid="form-field">
              <TextInput
                label={t('forms.fieldName')}
                description={index === 0 ? t('forms.fieldNameHint') : undefined}
                required
                value={field.name}
                onChange={(e) => change(index, { name: e.currentTarget.value })}
                data-testid="form-field-name"
              />
              <TextInput
                label={t('forms.fieldLabel')}
                value={field.label ?? ''}
                onChange={(e) => change(index, { label: e.currentTarget.value })}
                data-testid="form-field-label"
              />
              <Select
                label={t('forms.fieldType')}
                data={typeOptions}
                value={field.type}
                onChange={(v) => v && change(index, { type: v as FormFieldType })}
                allowDeselect={false}
                w={140}
                data-testid="form-field-type"
              />
              <Checkbox
                label={t('forms.fieldRequired')}
                checked={field.required}
                onChange={(e) => change(index, { required: e.currentTarget.checked })}
                mb={8}
                data-testid="form-field-required"
              />
              <Button
                variant="subtle"
                color="red"
                size="xs"
                mb={4}
                disabled={fields.length === 1}
                onClick={() => setFields((all) => all.filter((_, i) => i !== index))}
                aria-label={t('forms.removeField', { index: index + 1 })}
              >
                {t('forms.remove')}
              </Button>
            </Group>
          ))}
          <Group>
            <Button
              size="xs"
              variant="default"
              disabled={fields.length >= 30}
              onClick={() => setFields((all) => [...all, blankField()])}
              data-testid="form-add-field"
            >
              {t('forms.addField')}
            </Button>
          </Group>
          <Textarea
            label={t('forms.consent')}
            description={t('forms.consentHint')}
            maxLength={2000}
            value={consent}
            onChange={(e) => setConsent(e.currentTarget.value)}
            data-testid="form-consent"
          />
          {create.isError && (
            <Alert color="red" variant="light" p="xs" data-testid="form-builder-error">
              {describeError(create.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="form-save">
              {t('forms.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** One form: its links, snippet and latest submissions. */
function FormDetail({ formId, onClose }: { formId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const detail = useQuery({ queryKey: [...formsKey(org.id), 'one', formId], queryFn: () => getForm(org.id, formId), meta: { quiet: true } });
  return (
    <Modal opened onClose={onClose} title={detail.data?.form.name ?? t('forms.title')} size="xl">
      {detail.isPending ? (
        <Loader size="sm" />
      ) : detail.isError ? (
        <Alert color="red" variant="light">
          {describeError(detail.error)}
        </Alert>
      ) : (
        <Stack gap="sm" data-testid="form-detail">
          <Text size="sm" fw={600}>
            {t('forms.publicUrl')}
          </Text>
          <Group gap="xs">
            <Code data-testid="form-detail-url">{detail.data.form.publicUrl}</Code>
            <Copy value={detail.data.form.publicUrl} label={t('forms.copyUrl')} testId="form-detail-copy-url" />
          </Group>
          <Text size="sm" fw={600}>
            {t('forms.snippet')}
          </Text>
          <Code block>{detail.data.form.embedSnippet}</Code>
          <Group>
            <Copy value={detail.data.form.embedSnippet} label={t('forms.copySnippet')} testId="form-detail-copy-snippet" />
          </Group>
          <Text size="sm" fw={600}>
            {t('forms.latestSubmissions', { count: detail.data.form.submissionCount })}
          </Text>
          {detail.data.submissions.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('forms.noSubmissions')}
            </Text>
          ) : (
            <Paper withBorder>
              <Table data-testid="form-submissions">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('forms.submittedAt')}</Table.Th>
                    <Table.Th>{t('forms.contact')}</Table.Th>
                    <Table.Th>{t('forms.answers')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {detail.data.submissions.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>{new Date(s.createdAt).toLocaleString()}</Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={contactPath(org.id, s.contactId)} size="sm" data-testid="form-submission-contact">
                          {s.contactName ?? s.contactId}
                        </Anchor>
                      </Table.Td>
                      {/* Visitor text: rendered as React text, never as HTML. */}
                      <Table.Td>
                        {Object.entries(s.fields)
                          .map(([k, v]) => `${k}: ${v}`)
                          .join(' · ')}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          )}
        </Stack>
      )}
    </Modal>
  );
}
