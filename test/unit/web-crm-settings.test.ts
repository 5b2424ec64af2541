import { describe, expect, it } from 'vitest';
import type { CrmSettingsView } from '../../web/src/api/crm-pipeline.js';
import { addStage, changeOf, definedFieldValues, draftOf, exampleScore, moveStage } from '../../web/src/pages/crm/settings/crm-settings-draft.js';

const SAVED: CrmSettingsView = {
  stages: ['subscriber', 'lead', 'opportunity', 'customer'],
  scoringRules: [
    { kind: 'reply', points: 10 },
    { kind: 'form_submission', points: 20 },
  ],
  customFields: [{ key: 'budget', label: 'Budget', type: 'number' }],
};

describe('CRM settings form', () => {
  it('shows every interaction kind, a kind without a rule as 0 points', () => {
    expect(draftOf(SAVED).points).toEqual({ reply: 10, mention: 0, form_submission: 20, link_click: 0, note: 0, task_done: 0 });
  });

  it('sends nothing while the draft equals the saved settings', () => {
    expect(changeOf(SAVED, draftOf(SAVED))).toEqual({});
  });

  it('sends only the sections that changed, so a stage change recomputes no score', () => {
    const draft = draftOf(SAVED);
    expect(changeOf(SAVED, { ...draft, stages: ['lead', 'subscriber', 'opportunity', 'customer'] })).toEqual({
      stages: ['lead', 'subscriber', 'opportunity', 'customer'],
    });
    expect(changeOf(SAVED, { ...draft, customFields: [] })).toEqual({ customFields: [] });
  });

  it('sends the rules with points, leaving out kinds at 0', () => {
    const draft = draftOf(SAVED);
    expect(changeOf(SAVED, { ...draft, points: { ...draft.points, reply: 0, note: 3 } })).toEqual({
      scoringRules: [
        { kind: 'form_submission', points: 20 },
        { kind: 'note', points: 3 },
      ],
    });
  });

  it('moves a stage one place and keeps the order at either end', () => {
    expect(moveStage(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveStage(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveStage(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveStage(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('adds a stage as the server stores it, and refuses an empty or repeated one', () => {
    expect(addStage(['lead'], '  Trial ')).toEqual(['lead', 'trial']);
    expect(addStage(['lead'], 'LEAD')).toBeNull();
    expect(addStage(['lead'], '   ')).toBeNull();
  });

  it('scores the example contact with the draft points', () => {
    expect(exampleScore(draftOf(SAVED).points)).toBe(30);
  });

  it("sends back a contact's values only for fields the org still defines", () => {
    expect(definedFieldValues(SAVED.customFields, { budget: 5000, tier: 'gold' })).toEqual({ budget: 5000 });
  });
});
