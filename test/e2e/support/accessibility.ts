import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export interface AxeFinding {
  id: string;
  impact: string;
  nodes: number;
  /** A few of the offending elements, to find them quickly. */
  targets: string[];
}

/** Critical and serious: what must stay at zero. */
export const blocking = (findings: AxeFinding[]): AxeFinding[] => findings.filter((finding) => finding.impact === 'critical' || finding.impact === 'serious');

/**
 * Runs axe-core (WCAG 2.x A and AA rules plus axe's best practices) on the page as it is now
 * and fails on any critical or serious violation, listing them. Returns every finding, so a
 * test can print the moderate and minor ones.
 */
export async function expectAccessible(page: Page, screen: string): Promise<AxeFinding[]> {
  const findings = await axeFindings(page);
  expect(blocking(findings), `${screen}: critical or serious axe violations`).toEqual([]);
  return findings;
}

/** Every axe violation on the page as it is now, without judging them. */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  // Mantine's transitions fade content in; axe would measure the contrast of half-faded text.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 400)));
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact ?? 'unknown',
    nodes: violation.nodes.length,
    targets: violation.nodes
      .slice(0, 3)
      .map((node) => `${node.target.join(' ')} ${node.html.slice(0, 160)} ${node.failureSummary?.split('\n')[1]?.trim() ?? ''}`),
  }));
}
