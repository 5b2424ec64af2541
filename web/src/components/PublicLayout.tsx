import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePickLanguage } from '../app/session.js';
import { LanguagePicker } from './LanguagePicker.js';
import { ChorusMark } from './icons.js';

/** The frame of the pages seen before signing in: brand, language picker, one card. */
export function PublicLayout({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  const pickLanguage = usePickLanguage();
  return (
    <Box mih="100vh" bg="gray.0">
      <Group justify="space-between" px="lg" py="sm">
        <Group gap={8}>
          <ChorusMark size={26} />
          <Text fw={700}>Chorus</Text>
        </Group>
        <LanguagePicker onPick={pickLanguage} />
      </Group>
      <Center px="md" py={48}>
        <Stack w="100%" maw={440} gap="md">
          <div>
            <Title order={2}>{title}</Title>
            {subtitle && (
              <Text c="dimmed" size="sm" mt={4}>
                {subtitle}
              </Text>
            )}
          </div>
          <Paper withBorder shadow="xs" p="lg" radius="md">
            {children}
          </Paper>
          <Text c="dimmed" size="xs" ta="center">
            {t('brand.tagline')}
          </Text>
        </Stack>
      </Center>
    </Box>
  );
}
