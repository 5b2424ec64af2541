import { INTERACTION_KINDS, type InteractionKind } from '@core/api/crm.js';
import { NumberInput, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { exampleScore } from './crm-settings-draft.js';

/** Points per interaction kind; saving them recomputes every contact's score. */
export function ScoringSection({
  points,
  editable,
  onChange,
}: {
  points: Record<InteractionKind, number>;
  editable: boolean;
  onChange: (points: Record<InteractionKind, number>) => void;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md" data-testid="crm-scoring">
      <Title order={4}>{t('crmSettings.scoringTitle')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('crmSettings.scoringIntro')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        {INTERACTION_KINDS.map((kind) => (
          <NumberInput
            key={kind}
            label={t(`pipeline.kinds.${kind}`)}
            value={points[kind]}
            min={-1000}
            max={1000}
            allowDecimal={false}
            readOnly={!editable}
            onChange={(v) => onChange({ ...points, [kind]: typeof v === 'number' ? v : 0 })}
            data-testid={`crm-points-${kind}`}
          />
        ))}
      </SimpleGrid>
      <Text size="sm" mt="sm" data-testid="crm-scoring-example">
        {t('crmSettings.scoringExample', { reply: points.reply, form: points.form_submission, total: exampleScore(points) })}
      </Text>
    </Paper>
  );
}
