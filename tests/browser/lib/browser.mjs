// Chromium from Debian driven by playwright-core, plus helpers shared by widget and console tests.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-dev-shm-usage'],
  });
}

let axeSource = null;

/**
 * Runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules) in a page or frame and returns its violations.
 * The source is evaluated rather than injected with a <script> so the server's CSP cannot block it.
 */
export async function axeViolations(target, { exclude = [] } = {}) {
  if (!axeSource) axeSource = fs.readFileSync(path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');
  const loaded = await target.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await target.evaluate(axeSource);
  return target.evaluate(async (excl) => {
    const result = await window.axe.run(excl.length ? { exclude: excl.map((s) => [s]) } : document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  }, exclude);
}

/** Throws with a readable list when axe finds anything. */
export async function assertNoAxeViolations(target, label, options) {
  const violations = await axeViolations(target, options);
  if (violations.length) {
    const text = violations.map((v) => `  ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
    throw new Error(`axe found ${violations.length} violation(s) on ${label}:\n${text}`);
  }
}
