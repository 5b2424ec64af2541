import { describe, expect, it } from 'vitest';
import { taskTitleText } from '../../web/src/pages/crm/tasks/task-title.js';

describe('the start of a task title taken from a post', () => {
  it('puts the text on one line', () => {
    expect(taskTitleText('  Roast schedule:\n\tEthiopia   on Tuesday \n')).toBe('Roast schedule: Ethiopia on Tuesday');
  });

  it('keeps a text of exactly 80 characters whole', () => {
    const text = 'a'.repeat(80);
    expect(taskTitleText(text)).toBe(text);
  });

  it('cuts a longer text to 80 characters at a whole character, ending in an ellipsis', () => {
    const title = taskTitleText('😀'.repeat(81));
    expect([...title]).toHaveLength(80);
    expect(title).toBe(`${'😀'.repeat(79)}…`);
  });

  it('leaves an empty text empty (a post of only files)', () => {
    expect(taskTitleText(' \n ')).toBe('');
  });
});
