import { expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

it('reads the SMTP settings, and wants a sender address with a relay', () => {
  const config = loadConfig({ CHORUS_SMTP_URL: 'smtps://chorus:secret@mail.example.com:465', CHORUS_MAIL_FROM: 'Chorus <chorus@example.com>' });
  expect(config.smtpUrl).toBe('smtps://chorus:secret@mail.example.com:465');
  expect(config.mailFrom).toBe('Chorus <chorus@example.com>');
  expect(loadConfig({}).smtpUrl).toBeUndefined();
  expect(() => loadConfig({ CHORUS_SMTP_URL: 'smtp://mail.example.com:587' })).toThrow(/CHORUS_MAIL_FROM: required/);
  expect(() => loadConfig({ CHORUS_SMTP_URL: 'https://mail.example.com', CHORUS_MAIL_FROM: 'a@example.com' })).toThrow(ConfigError);
});
