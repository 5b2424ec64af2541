import { Alert, Badge, Button, Group, Loader, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { disableTwoFactor, renewRecoveryCodes, type IdentityProof } from '../../api/security.js';
import { notifySuccess } from '../../app/errors.js';
import { useFormatDate } from '../../components/format.js';
import { RecoveryCodes } from './RecoveryCodes.js';
import { TWO_FACTOR_KEY, useTwoFactor } from './security-queries.js';
import { TwoFactorSetup } from './TwoFactorSetup.js';

/** Few enough left to say so. */
const LOW_ON_CODES = 3;

/** A password is at least 10 characters, so six digits can only be a code from the app. */
const proofFrom = (value: string): IdentityProof => (/^\d{6}$/.test(value.replace(/\s/g, '')) ? { code: value.replace(/\s/g, '') } : { password: value });

/** Settings → Security: two-factor sign-in, on or off, and the recovery codes. */
export function TwoFactorSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useTwoFactor();
  const formatDate = useFormatDate();
  const [settingUp, setSettingUp] = useState(false);
  const [action, setAction] = useState<'renew' | 'disable' | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: TWO_FACTOR_KEY });

  return (
    <Paper withBorder p="md" radius="md" data-testid="two-factor-section">
      <Group justify="space-between" mb={4}>
        <Title order={4}>{t('twoFactor.title')}</Title>
        {status.data && (
          <Badge color={status.data.enabled ? 'teal' : 'gray'} variant="light" data-testid="two-factor-state">
            {status.data.enabled ? t('twoFactor.on') : t('twoFactor.off')}
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('twoFactor.intro')}
      </Text>
      {status.isPending ? (
        <Loader size="sm" />
      ) : !status.data?.enabled ? (
        settingUp ? (
          <TwoFactorSetup
            onDone={() => {
              setSettingUp(false);
              notifySuccess(t('twoFactor.turnedOn'));
              void refresh();
            }}
          />
        ) : (
          <Button onClick={() => setSettingUp(true)} data-testid="two-factor-set-up">
            {t('twoFactor.setUp')}
          </Button>
        )
      ) : (
        <Stack gap="sm">
          <Text size="sm">{t('twoFactor.onSince', { date: formatDate(status.data.enabledAt) })}</Text>
          {status.data.recoveryCodesLeft <= LOW_ON_CODES ? (
            <Alert color="orange" variant="light" data-testid="recovery-codes-low">
              {t('twoFactor.codesLow', { count: status.data.recoveryCodesLeft })}
            </Alert>
          ) : (
            <Text size="sm" c="dimmed">
              {t('twoFactor.codesLeft', { count: status.data.recoveryCodesLeft })}
            </Text>
          )}
          {action ? (
            <ProofForm action={action} onCancel={() => setAction(null)} onDone={() => setAction(null)} />
          ) : (
            <Group gap="sm">
              <Button variant="default" onClick={() => setAction('renew')} data-testid="renew-recovery-codes">
                {t('twoFactor.renewCodes')}
              </Button>
              <Button variant="light" color="red" onClick={() => setAction('disable')} data-testid="two-factor-disable">
                {t('twoFactor.turnOff')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Paper>
  );
}

/** Turning the factor off or renewing the codes asks again who is there: the password or a current code. */
function ProofForm({ action, onCancel, onDone }: { action: 'renew' | 'disable'; onCancel: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [proof, setProof] = useState('');
  const run = useMutation({
    mutationFn: async (): Promise<string[] | null> => {
      if (action === 'renew') return (await renewRecoveryCodes(proofFrom(proof))).recoveryCodes;
      await disableTwoFactor(proofFrom(proof));
      return null;
    },
    onSuccess: async (codes) => {
      if (!codes) {
        notifySuccess(t('twoFactor.turnedOff'));
        onDone();
      }
      await queryClient.invalidateQueries({ queryKey: TWO_FACTOR_KEY });
    },
  });
  if (run.data) return <RecoveryCodes codes={run.data} onDone={onDone} />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <form onSubmit={submit} data-testid="two-factor-proof">
      <Group align="flex-end" gap="sm">
        <PasswordInput
          label={t('twoFactor.proof')}
          value={proof}
          onChange={(e) => setProof(e.currentTarget.value)}
          required
          autoComplete="current-password"
          w={300}
        />
        <Button type="submit" color={action === 'disable' ? 'red' : undefined} loading={run.isPending} data-testid="two-factor-proof-submit">
          {action === 'disable' ? t('twoFactor.turnOff') : t('twoFactor.renewCodes')}
        </Button>
        <Button variant="subtle" color="gray" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </Group>
    </form>
  );
}
