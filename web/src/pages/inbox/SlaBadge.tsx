import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConversationView } from '../../api/inbox.js';

/** About to breach (orange) or breached (red) stand out; met and on-time stay quiet; no SLA shows nothing. */
export function SlaBadge({ sla }: { sla: ConversationView['sla'] }) {
  const { t } = useTranslation();
  if (sla.state === 'none' || sla.state === 'ok' || sla.state === 'met') return null;
  return (
    <Badge size="xs" color={sla.state === 'breached' ? 'red' : 'orange'} variant="filled" data-testid="conversation-sla" data-sla={sla.state}>
      {t(`inbox.sla.${sla.state}`)}
    </Badge>
  );
}
