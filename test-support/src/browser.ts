import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './processes';

/** The machine's Chromium (Debian's `chromium` package; .ci/run installs it): nothing is downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium; `--no-sandbox` because CI runs as root. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
}

/** Where browser tests leave their screenshots (ignored by git). */
export const SCREENSHOT_DIR = join(ROOT, 'artifacts', 'screenshots');

/** Saves a full-page screenshot as artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AccessibilityProblem {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * The page's serious and critical accessibility violations (axe-core, WCAG 2.1 A and AA rules), each with the
 * elements it names: a test expects the list to be empty. The page must come from `browser.newContext()`.
 */
export async function accessibilityProblems(page: Page): Promise<AccessibilityProblem[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}
