import { Badge, Group, List, Paper, Stack, Text, ThemeIcon, Title, EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The page of a capability that is not built yet: it says what will live here, so a new team
 * sees the product's shape instead of a blank screen. `page` is the page's i18n namespace.
 */
export function CapabilityPage({ page, icon }: { page: string; icon: ReactNode }) {
  const { t } = useTranslation();
  const features = ['first', 'second', 'third'].map((key) => t(`${page}.features.${key}`));
  return (
    <Stack gap="md" data-testid={`page-${page}`}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t(`${page}.title`)}</Title>
          <Text c="dimmed" size="sm" maw={720}>
            {t(`${page}.intro`)}
          </Text>
        </div>
        <Badge variant="light" color="gray">
          {t('capability.comingSoon')}
        </Badge>
      </Group>
      <Paper withBorder p="md" radius="md">
        <Text fw={600} size="sm" mb="xs">
          {t('capability.whatsComing')}
        </Text>
        <List size="sm" spacing={4}>
          {features.map((feature) => (
            <List.Item key={feature}>{feature}</List.Item>
          ))}
        </List>
      </Paper>
      <Paper withBorder radius="md" py="xl">
        <EmptyState
          icon={
            <ThemeIcon variant="light" size={48} radius="xl">
              {icon}
            </ThemeIcon>
          }
          title={t(`${page}.emptyTitle`)}
          description={t(`${page}.emptyBody`)}
        />
      </Paper>
    </Stack>
  );
}
