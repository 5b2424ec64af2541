import { Alert, Button, Text } from '@mantine/core';
import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * What a page shows instead of a blank screen when it cannot be drawn: its code could not be
 * downloaded (the server was updated since this tab opened and the old chunk is gone, or the
 * connection dropped), or it threw while rendering. Both are mended by loading the page again.
 * `resetKey` (the path) gives the next page a fresh start.
 */
export class PageErrorBoundary extends Component<{ resetKey: string; children: ReactNode }, { error: Error | null; key: string }> {
  override state = { error: null as Error | null, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: { resetKey: string }, state: { error: Error | null; key: string }) {
    return props.resetKey === state.key ? null : { error: null, key: props.resetKey };
  }

  override render() {
    return this.state.error ? <PageFailed error={this.state.error} /> : this.props.children;
  }
}

/** A dynamic import that failed: Chromium, Firefox and Safari each word it differently. */
const isChunkLoadFailure = (error: Error): boolean =>
  /dynamically imported module|Importing a module script failed|error loading dynamically imported module/i.test(error.message);

function PageFailed({ error }: { error: Error }) {
  const { t } = useTranslation();
  const chunk = isChunkLoadFailure(error);
  return (
    <Alert
      color={chunk ? 'blue' : 'red'}
      title={t(chunk ? 'pageError.updatedTitle' : 'pageError.failedTitle')}
      m="md"
      data-testid="page-error"
      data-kind={chunk ? 'download' : 'render'}
    >
      <Text size="sm" mb="sm">
        {chunk ? t('pageError.updatedBody') : t('pageError.failedBody', { reason: error.message })}
      </Text>
      <Button size="xs" onClick={() => window.location.reload()} data-testid="page-error-reload">
        {t('pageError.reload')}
      </Button>
    </Alert>
  );
}
