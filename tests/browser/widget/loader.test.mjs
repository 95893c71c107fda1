// The loader: idempotent, sandboxed iframe, postMessage only with explicit, checked origins.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { openDemo, launch } from '../lib/widget.mjs';

test('the loader is idempotent and frames the app in a sandbox with the host origin', async (t) => {
  const stack = await t.stack();
  const page = await t.page();
  await openDemo(page, stack);
  await page.addScriptTag({ url: stack.url('/widget/widget.js') });
  await page.evaluate(() => new Promise((resolve) => {
    const s = document.createElement('script');
    s.src = '/widget/widget.js?again';
    s.onload = resolve;
    document.body.append(s);
  }));
  assert.equal(await page.locator('#helpline-widget').count(), 1, 'one widget after three includes');
  assert.equal(await page.locator('#helpline-widget button.launch').count(), 1, 'one launcher');

  const app = await launch(page);
  await page.locator('#helpline-widget button.launch').evaluate((b) => b.click()).catch(() => {});
  assert.equal(await page.locator('#helpline-widget iframe').count(), 1, 'one iframe');
  const frame = page.locator('#helpline-widget iframe');
  assert.equal(await frame.getAttribute('sandbox'), 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox');
  const src = new URL(await frame.getAttribute('src'));
  assert.equal(src.origin, stack.origin);
  assert.equal(src.pathname, '/widget/app/index.html');
  assert.equal(src.searchParams.get('origin'), stack.origin, 'the app is told the host page origin');
  assert.equal(await frame.getAttribute('title'), 'Confidential chat');

  // Messages from anything but the app's window are ignored by the loader...
  await page.evaluate(() => window.postMessage({ hl: 'exited' }, '*'));
  await page.evaluate(() => window.postMessage({ hl: 'minimise' }, '*'));
  // ...and the app ignores messages from anything but its parent at the given origin.
  await app.evaluate(() => window.postMessage({ hl: 'exit' }, '*'));
  await page.waitForTimeout(300); // give a wrongly accepted message time to act (asserted below)
  assert.ok(page.url().includes('/widget/demo/'), 'no exit from a forged message');
  assert.ok(await page.locator('#helpline-widget iframe').isVisible(), 'no minimise from a forged message');
  assert.ok(!(await app.evaluate(() => document.body.classList.contains('gone'))), 'the app ignored the forged exit');

  // The app asks the loader to minimise through postMessage.
  await app.locator('#minimise').click();
  await page.locator('#helpline-widget button.launch').waitFor({ state: 'visible' });
  assert.ok(await page.locator('#helpline-widget .panel').isHidden());
  assert.equal(await page.locator('#helpline-widget button.launch').getAttribute('aria-expanded'), 'false');
  await page.locator('#helpline-widget button.launch').click();
  await page.locator('#helpline-widget .panel').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#helpline-widget iframe').count(), 1, 'reopening keeps the same chat');
});
