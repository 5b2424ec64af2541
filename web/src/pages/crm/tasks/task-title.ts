const TEXT_IN_TITLE = 80;

/** Text as the start of a task title: one line, cut at a whole character to 80 (a title is at most 500). */
export function taskTitleText(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const characters = [...line];
  return characters.length > TEXT_IN_TITLE ? `${characters.slice(0, TEXT_IN_TITLE - 1).join('')}…` : line;
}
