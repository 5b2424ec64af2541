import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { stageLabel } from '../stage-names.js';
import { addStage, moveStage } from './crm-settings-draft.js';

/** The lifecycle stages in pipeline order: rename in place, move up or down, remove, add at the end. */
export function StagesSection({ stages, editable, onChange }: { stages: string[]; editable: boolean; onChange: (stages: string[]) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const added = addStage(stages, name);
  return (
    <Paper withBorder p="md" radius="md" data-testid="crm-stages">
      <Title order={4}>{t('crmSettings.stagesTitle')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('crmSettings.stagesIntro')}
      </Text>
      <Stack gap="xs">
        {stages.map((stage, index) => (
          <Group key={index} gap="xs" wrap="nowrap" data-testid="crm-stage">
            <TextInput
              aria-label={t('crmSettings.stageName', { position: index + 1 })}
              value={stage}
              // A default name reads translated elsewhere: say so, since renaming it shows the new name as typed.
              description={stageLabel(stage, t) === stage ? undefined : t('crmSettings.shownAs', { name: stageLabel(stage, t) })}
              readOnly={!editable}
              onChange={(e) => onChange(stages.map((s, i) => (i === index ? e.currentTarget.value : s)))}
              style={{ flex: 1 }}
            />
            {editable && (
              <>
                <Button
                  variant="default"
                  size="xs"
                  disabled={index === 0}
                  onClick={() => onChange(moveStage(stages, index, -1))}
                  aria-label={t('crmSettings.moveUp', { stage })}
                >
                  ↑
                </Button>
                <Button
                  variant="default"
                  size="xs"
                  disabled={index === stages.length - 1}
                  onClick={() => onChange(moveStage(stages, index, 1))}
                  aria-label={t('crmSettings.moveDown', { stage })}
                >
                  ↓
                </Button>
                <Button
                  variant="subtle"
                  color="red"
                  size="xs"
                  disabled={stages.length === 1}
                  onClick={() => onChange(stages.filter((_, i) => i !== index))}
                  aria-label={t('crmSettings.removeStage', { stage })}
                >
                  {t('crmSettings.remove')}
                </Button>
              </>
            )}
          </Group>
        ))}
      </Stack>
      {editable && (
        <Group gap="xs" mt="sm" align="flex-end">
          <TextInput label={t('crmSettings.newStage')} value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="crm-stage-new" />
          <Button
            variant="light"
            disabled={!added}
            onClick={() => {
              if (!added) return;
              onChange(added);
              setName('');
            }}
            data-testid="crm-stage-add"
          >
            {t('crmSettings.addStage')}
          </Button>
        </Group>
      )}
    </Paper>
  );
}
