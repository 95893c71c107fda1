// Console: a conversation fits the window. With every side panel open and a 300-character word
// in the visitor's message and in the plan, nothing is wider than the window, the composer stays
// in view, and the side panel scrolls on its own (the transcript and composer do not move).
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { openConsole, goAvailable, queueAndAccept, stackWithUsers, useSidePanels, assertNoConsoleErrors } from '../lib/console.mjs';

const LONG = 'x'.repeat(150) + 'y'.repeat(150);

async function measure(page, panel) {
  return panel.evaluate((root) => {
    const box = (el) => el.getBoundingClientRect();
    const side = root.querySelector('.conv-side');
    const composer = root.querySelector('form.composer');
    const transcript = root.querySelector('.transcript');
    const wide = [document.scrollingElement, document.getElementById('main'), transcript, side]
      .filter((el) => el.scrollWidth > el.clientWidth)
      .map((el) => `${el.id || el.className || el.tagName}: ${el.scrollWidth} > ${el.clientWidth}`);
    return {
      wide,
      viewport: { width: window.innerWidth, height: window.innerHeight },
      composer: box(composer).toJSON(),
      transcript: box(transcript).toJSON(),
      pageScroll: document.scrollingElement.scrollHeight - document.scrollingElement.clientHeight,
      side: { scrollHeight: side.scrollHeight, clientHeight: side.clientHeight },
    };
  });
}

function inside(rect, viewport) {
  return rect.top >= 0 && rect.left >= 0 && rect.bottom <= viewport.height && rect.right <= viewport.width;
}

test('a conversation fits the window at 1280x800 and 1024x700 with every side panel open', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  const page = await openConsole(t, stack, users.sam, { contextOptions: { viewport: { width: 1280, height: 800 } } });
  await goAvailable(page);
  const { visitor, panel } = await queueAndAccept(t, stack, page);
  for (let i = 0; i < 6; i += 1) await visitor.say(`Message ${i + 1} so the transcript has some length to it.`);
  const flagged = await visitor.say(`I grabbed her by the throat, it was only a shove ${LONG} really`);
  await panel.locator(`.transcript li[data-seq="${flagged.seq}"] mark.flag`).first().waitFor();
  // Every side panel used: a plan (with the long word), programme suggestions, the end question.
  await useSidePanels(panel, { plan: `Plan: ${LONG}` });
  await page.evaluate(() => { for (const d of document.querySelectorAll('.transcript details')) d.open = true; });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 1024, height: 700 }]) {
    await page.setViewportSize(viewport);
    const what = `${viewport.width}x${viewport.height}`;
    const m = await measure(page, panel);
    assert.deepEqual(m.wide, [], `${what}: nothing wider than its box`);
    assert.ok(inside(m.composer, m.viewport), `${what}: the composer is in view: ${JSON.stringify(m.composer)}`);
    assert.ok(inside(m.transcript, m.viewport), `${what}: the transcript is in view: ${JSON.stringify(m.transcript)}`);
    assert.ok(m.pageScroll <= 0, `${what}: the page itself does not scroll (${m.pageScroll} px more)`);
    assert.ok(m.side.scrollHeight > m.side.clientHeight, `${what}: the side panel holds more than fits, so it scrolls: ${JSON.stringify(m.side)}`);
    // Scrolling the side panel to its end moves neither the transcript nor the composer.
    await panel.locator('.conv-side').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    const after = await measure(page, panel);
    assert.ok(await panel.locator('.conv-side').evaluate((el) => el.scrollTop > 0), `${what}: the side panel scrolled`);
    assert.deepEqual(after.composer, m.composer, `${what}: the composer did not move`);
    assert.deepEqual(after.transcript, m.transcript, `${what}: the transcript did not move`);
    await panel.locator('.conv-side').evaluate((el) => { el.scrollTop = 0; });
  }
  assertNoConsoleErrors(page);
});
