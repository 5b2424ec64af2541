import { Stack } from '@mantine/core';
import { SessionsSection } from './SessionsSection.js';
import { TwoFactorSection } from './TwoFactorSection.js';

/** Settings → Security: two-factor sign-in and the places the account is signed in. */
export function SecurityTab() {
  return (
    <Stack gap="lg" maw={1000}>
      <TwoFactorSection />
      <SessionsSection />
    </Stack>
  );
}
