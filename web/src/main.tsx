import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
// Japanese renders the same on every machine, with or without system CJK fonts: the browser
// downloads only the unicode-range slices a page uses.
import '@fontsource/noto-sans-jp/400.css';
import '@fontsource/noto-sans-jp/700.css';
import './app/global.css';
import { MantineProvider, Modal, createTheme, type CSSVariablesResolver } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useMemo, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { App } from './app/App.js';
import { queryClient } from './app/query-client.js';
import { startI18n } from './i18n/index.js';
import { prefetchBoard } from './pages/streams/board-prefetch.js';

// Dense dashboard defaults; CJK glyphs come from the shipped Noto Sans JP. No `system-ui`: on
// Linux it resolves to a font that claims CJK glyphs it draws as empty boxes, so fallback stops there.
const FONT_STACK = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans JP", sans-serif';
// Shade 9 of every color in light mode and a darker "dimmed": text in them (links, badges, red
// warnings, secondary lines) keeps WCAG AA contrast, 4.5:1, on white and on the gray page.
const baseTheme = {
  primaryColor: 'blue',
  primaryShade: { light: 9, dark: 8 },
  defaultRadius: 'sm',
  fontFamily: FONT_STACK,
  headings: { fontFamily: FONT_STACK },
} as const;

const contrastVariables: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#636b74', '--mantine-color-placeholder': '#636b74' },
  dark: {},
});

/** Mantine with the theme in the current language: a dialog's close button (an icon) gets a name screen readers say. */
function LocalizedMantine({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const theme = useMemo(
    () => createTheme({ ...baseTheme, components: { Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': t('common.closeDialog') } } }) } }),
    [t],
  );
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={contrastVariables}>
      {children}
    </MantineProvider>
  );
}

startI18n();
prefetchBoard(queryClient, window.location);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LocalizedMantine>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </LocalizedMantine>
  </StrictMode>,
);
