import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { IncidentState } from '../../api/ops.js';

const COLOR: Record<IncidentState, string> = { investigating: 'red', identified: 'orange', monitoring: 'blue', resolved: 'teal' };

export function IncidentStateBadge({ state }: { state: IncidentState }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLOR[state]} variant="light" data-testid="incident-state" data-state={state}>
      {t(`admin.states.${state}`)}
    </Badge>
  );
}
