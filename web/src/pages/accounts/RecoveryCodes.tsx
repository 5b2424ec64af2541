import { Alert, Button, CopyButton, Group, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Freshly issued recovery codes: shown this once, to copy or write down. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" variant="light" title={t('twoFactor.recoveryCodesTitle')} data-testid="recovery-codes">
      <Text size="sm" mb="sm">
        {t('twoFactor.recoveryCodesBody')}
      </Text>
      <SimpleGrid cols={2} spacing={4} maw={380} mb="sm">
        {codes.map((code) => (
          <Text key={code} ff="monospace" size="sm" data-testid="recovery-code">
            {code}
          </Text>
        ))}
      </SimpleGrid>
      <Group gap="xs">
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="light" color={copied ? 'teal' : undefined} onClick={copy}>
              {copied ? t('common.copied') : t('twoFactor.copyCodes')}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone} data-testid="recovery-codes-saved">
          {t('twoFactor.codesSaved')}
        </Button>
      </Group>
    </Alert>
  );
}
