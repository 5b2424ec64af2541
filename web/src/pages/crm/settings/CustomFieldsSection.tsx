import { CUSTOM_FIELD_TYPES, type CustomFieldDefinition, type CustomFieldType } from '@core/api/crm.js';
import { Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const blank = (): CustomFieldDefinition => ({ key: '', label: '', type: 'text' });

/** Typed custom fields every contact can fill in: a key (for the API and CSV import), a label and a type. */
export function CustomFieldsSection({
  fields,
  editable,
  onChange,
}: {
  fields: CustomFieldDefinition[];
  editable: boolean;
  onChange: (fields: CustomFieldDefinition[]) => void;
}) {
  const { t } = useTranslation();
  const types = CUSTOM_FIELD_TYPES.map((type) => ({ value: type, label: t(`crmSettings.fieldTypes.${type}`) }));
  const edit = (index: number, part: Partial<CustomFieldDefinition>) => onChange(fields.map((f, i) => (i === index ? { ...f, ...part } : f)));
  return (
    <Paper withBorder p="md" radius="md" data-testid="crm-fields">
      <Title order={4}>{t('crmSettings.fieldsTitle')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('crmSettings.fieldsIntro')}
      </Text>
      <Stack gap="xs">
        {fields.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('crmSettings.noFields')}
          </Text>
        )}
        {fields.map((field, index) => (
          <Group key={index} gap="xs" align="flex-end" wrap="nowrap" data-testid="crm-field">
            <TextInput
              label={t('crmSettings.fieldKey')}
              value={field.key}
              readOnly={!editable}
              onChange={(e) => edit(index, { key: e.currentTarget.value })}
              w={160}
            />
            <TextInput
              label={t('crmSettings.fieldLabel')}
              value={field.label}
              readOnly={!editable}
              onChange={(e) => edit(index, { label: e.currentTarget.value })}
              style={{ flex: 1 }}
            />
            <Select
              label={t('crmSettings.fieldType')}
              data={types}
              value={field.type}
              allowDeselect={false}
              readOnly={!editable}
              onChange={(type) => type && edit(index, { type: type as CustomFieldType })}
              w={130}
            />
            {editable && (
              <Button
                variant="subtle"
                color="red"
                onClick={() => onChange(fields.filter((_, i) => i !== index))}
                aria-label={t('crmSettings.removeField', { field: field.label || field.key || index + 1 })}
              >
                {t('crmSettings.remove')}
              </Button>
            )}
          </Group>
        ))}
      </Stack>
      {editable && (
        <Button variant="light" mt="sm" onClick={() => onChange([...fields, blank()])} data-testid="crm-field-add">
          {t('crmSettings.addField')}
        </Button>
      )}
    </Paper>
  );
}
