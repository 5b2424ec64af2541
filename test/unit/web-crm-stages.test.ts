import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import ja from '../../web/src/i18n/ja.json' with { type: 'json' };
import { stageLabel, stageOptions } from '../../web/src/pages/crm/stage-names.js';

async function translator(lng: 'en' | 'ja') {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { en: { translation: en }, ja: { translation: ja } }, lng, fallbackLng: 'en', initAsync: false });
  return i18n.t.bind(i18n) as (key: string) => string;
}

describe('lifecycle stage names', () => {
  it('shows the default stages in Japanese to a Japanese reader', async () => {
    const t = await translator('ja');
    expect(['subscriber', 'lead', 'opportunity', 'customer'].map((stage) => stageLabel(stage, t))).toEqual(['購読者', 'リード', '商談', '顧客']);
  });

  it('shows the default stages by their stored names to an English reader', async () => {
    const t = await translator('en');
    expect(['subscriber', 'lead', 'opportunity', 'customer'].map((stage) => stageLabel(stage, t))).toEqual(['subscriber', 'lead', 'opportunity', 'customer']);
  });

  it('shows a renamed or added stage as typed, in any language', async () => {
    const t = await translator('ja');
    expect(stageLabel('見込み客', t)).toBe('見込み客');
    expect(stageLabel('trial', t)).toBe('trial');
    expect(stageLabel('lead qualified', t)).toBe('lead qualified');
  });

  it('keeps the stored name as the option value and translates only the label', async () => {
    const t = await translator('ja');
    expect(stageOptions(['lead', 'trial'], t)).toEqual([
      { value: 'lead', label: 'リード' },
      { value: 'trial', label: 'trial' },
    ]);
  });
});
