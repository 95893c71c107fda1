// Accessibility: keyboard only end to end, axe-core on every screen, 320 px wide and 200% zoom,
// right-to-left layout.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { advisorFor } from '../lib/advisor.mjs';
import { assertNoAxeViolations } from '../lib/browser.mjs';
import { waitUntil } from '../lib/stack.mjs';
import {
  openDemo, launch, appFrame, startChat, answerScreening, waitForLogText, visitorSays, chooseSafeTime, focusedAnywhere,
} from '../lib/widget.mjs';

const focused = focusedAnywhere;

/** Presses Tab (Shift+Tab if back) until `match(focused)` holds; fails after `max` presses. */
async function tabTo(page, match, what, { max = 40, back = false } = {}) {
  for (let i = 0; i < max; i += 1) {
    const f = await focused(page);
    if (f && match(f)) return f;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`could not reach ${what} with the keyboard (at ${JSON.stringify(await focused(page))})`);
}

test('keyboard only: open, choose, answer, wait, chat and end with visible focus throughout', async (t) => {
  const stack = await t.stack();
  const sam = await advisorFor(t, stack);
  const page = await t.page();
  await openDemo(page, stack);

  const launcher = await tabTo(page, (f) => f.where === 'loader' && f.cls === 'launch', 'the launcher');
  assert.ok(launcher.visibleFocus, 'the launcher shows focus');
  await page.keyboard.press('Enter');
  const app = await appFrame(page);
  await waitUntil(async () => (await focused(page)).where === 'app', { what: 'focus to move into the chat' });

  let f = await tabTo(page, (x) => x.tag === 'input' && x.value === 'own_behaviour', 'the first caller type');
  assert.ok(f.visibleFocus, 'radio buttons show focus');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown'); // professional
  await page.keyboard.press('ArrowUp'); // back to own behaviour
  assert.equal(await app.evaluate(() => document.querySelector('input[name=caller]:checked').value), 'own_behaviour');
  f = await tabTo(page, (x) => x.tag === 'button' && x.text === 'Start chat', 'Start chat');
  assert.ok(f.visibleFocus, 'buttons show focus');
  await page.keyboard.press('Enter');

  // Screening: focus moves to the text of each question (never to an option); Tab goes on.
  for (let i = 0; i < 10; i += 1) {
    const state = await waitUntil(() => app.evaluate(() => {
      if (!document.getElementById('queue').hidden) return 'queued';
      const q = document.querySelector('#log .question:not([data-answered])');
      if (!q) return null;
      return { kind: q.querySelector('.options') ? 'choice' : 'free', text: q.querySelector('.text').textContent.trim().slice(0, 60) };
    }), { what: 'a question or the queue' });
    if (state === 'queued') break;
    await waitUntil(async () => (await focused(page)).text === state.text, { what: 'focus on the question text' });
    if (state.kind === 'choice') {
      await page.keyboard.press('Tab');
      f = await focused(page);
      assert.ok(f.cls.includes('option'), 'Tab from the question reaches its options');
      assert.ok(f.visibleFocus, 'options show focus');
      const pick = await tabTo(page, (x) => ['no', 'neither', 'anger'].includes(x.dataValue), 'a safe option', { max: 6 });
      assert.ok(pick);
      await page.keyboard.press('Enter');
    } else {
      await tabTo(page, (x) => x.id === 'text', 'the answer box', { max: 3 });
      await page.keyboard.type('Nothing else for now');
      await page.keyboard.press('Enter');
    }
  }
  await app.locator('#queue').waitFor({ state: 'visible' });

  const { offer } = await sam.acceptNext();
  await waitForLogText(app, 'Sam has joined the chat.');
  f = await waitUntil(async () => { const x = await focused(page); return x.id === 'text' ? x : null; },
    { what: 'focus in the message box once the queue shows' });
  assert.ok(f.visibleFocus, 'the message box shows focus');
  await page.keyboard.type('Typed with the keyboard only');
  await page.keyboard.press('Enter');
  await sam.next((m) => m.type === 'message' && m.text === 'Typed with the keyboard only');

  f = await tabTo(page, (x) => x.id === 'end-chat', 'End chat', { back: true });
  assert.ok(f.visibleFocus, 'End chat shows focus');
  await page.keyboard.press('Enter');
  await waitUntil(async () => (await focused(page)).id === 'end-no', { what: 'focus in the dialog on the safe choice' });
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focused(page)).id, 'end-yes');
  await page.keyboard.press('Enter');
  await app.locator('#ended-text').filter({ hasText: 'You ended the chat.' }).waitFor();
  await sam.next((m) => m.type === 'ended' && m.conversation_id === offer.conversation.id);
  assert.equal((await focused(page)).id, 'new-chat', 'focus goes to the next thing to do');

  await tabTo(page, (x) => x.id === 'minimise', 'Minimise', { back: true });
  await page.keyboard.press('Enter');
  await waitUntil(async () => { const x = await focused(page); return x.where === 'loader' && x.cls === 'launch'; },
    { what: 'focus back on the launcher after minimising' });
});

test('axe-core finds no violations on any screen (host page, app screens, dialog, RTL)', async (t) => {
  const stack = await t.stack();
  const sam = await advisorFor(t, stack, { away: true }); // nobody available: a callback is offered
  const page = await t.page();
  await openDemo(page, stack);
  await assertNoAxeViolations(page, 'the demo page with the launcher');

  const app = await launch(page);
  await assertNoAxeViolations(app, 'the start screen');
  await app.locator('input[name=caller][value=experiencing_abuse]').check();
  await assertNoAxeViolations(app, 'the start screen with services');
  await app.locator('#start-form [type=submit]').click();
  await app.locator('#log .question').first().waitFor();
  await assertNoAxeViolations(app, 'a screening question');
  await answerScreening(app);
  await assertNoAxeViolations(app, 'the queue');

  await app.locator('#offer-callback').click();
  await app.locator('#s-callback').waitFor({ state: 'visible' });
  await app.locator('#cb-add').click();
  await app.locator('#cb-form [type=submit]').click(); // with errors showing
  await assertNoAxeViolations(app, 'the callback form with errors');
  await app.locator('#cb-phone').fill('07700 900123');
  await chooseSafeTime(app, 0, { day: 'any', from: '18:00', to: '20:00' });
  await chooseSafeTime(app, 1, { day: 'sat', from: '10:00', to: '12:00' });
  await app.locator('#cb-form [type=submit]').click();
  await app.locator('#s-cb-check').waitFor({ state: 'visible' });
  await assertNoAxeViolations(app, 'the callback check screen');
  await app.locator('#cbc-send').click();
  await app.locator('#s-cb-done').waitFor({ state: 'visible' });
  await assertNoAxeViolations(app, 'the callback confirmation');
  await app.locator('#cbd-back').click();
  await sam.available();

  const { offer } = await sam.acceptNext();
  const convId = offer.conversation.id;
  await waitForLogText(app, 'Sam has joined the chat.');
  await sam.say(convId, 'A programme near you:', {
    card: { kind: 'programme', organisation: 'Aire Valley Change', programme_type: 'dapp', contact: { phone: '0113 496 0101', url: 'https://example.org/x' }, reasons: ['12 km from LS6'] },
  });
  await app.locator('#log article.card').waitFor();
  sam.send({ type: 'typing', conversation_id: convId, active: true });
  await app.locator('#typing').waitFor({ state: 'visible' });
  await visitorSays(app, 'Thank you');
  await assertNoAxeViolations(app, 'the conversation with a card and typing indicator');

  await app.locator('#end-chat').click();
  await app.locator('#end-dialog').waitFor({ state: 'visible' });
  await assertNoAxeViolations(app, 'the end-chat dialog');
  await app.locator('#end-yes').click();
  await app.locator('#ended').waitFor({ state: 'visible' });
  await assertNoAxeViolations(app, 'the ended chat');

  const rtl = await t.page();
  await openDemo(rtl, stack, { lang: 'ar' });
  await assertNoAxeViolations(rtl, 'the demo page with an Arabic launcher');
  const rtlApp = await launch(rtl);
  await assertNoAxeViolations(rtlApp, 'the Arabic start screen');
});

test('axe-core finds no violations on the closed screen', async (t) => {
  const stack = await t.stack({ hours: { always_open: false, weekly: {} } });
  const page = await t.page();
  await openDemo(page, stack);
  const app = await launch(page);
  await app.locator('#s-closed').waitFor({ state: 'visible' });
  await assertNoAxeViolations(app, 'the closed screen');
});

/** True when the app's document scrolls sideways (content wider than the frame). */
const overflowsSideways = (frame) => frame.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);

for (const [label, viewport] of [['320 px wide', { width: 320, height: 640 }], ['200% zoom (1280x800 at 2x)', { width: 640, height: 400 }]]) {
  test(`usable at ${label}: the chat fills the screen, nothing scrolls sideways`, async (t) => {
    const stack = await t.stack();
    const sam = await advisorFor(t, stack);
    const page = await t.page({ viewport });
    await openDemo(page, stack);
    const launcher = await page.locator('#helpline-widget button.launch').boundingBox();
    assert.ok(launcher.x >= 0 && launcher.x + launcher.width <= viewport.width, 'the launcher fits');
    const app = await launch(page);
    const box = await page.locator('#helpline-widget iframe').boundingBox();
    assert.ok(box.width >= viewport.width - 1 && box.height >= viewport.height - 1, `the chat fills a small screen (${JSON.stringify(box)})`);
    assert.ok(!(await overflowsSideways(app)), 'start screen does not scroll sideways');
    assert.ok(await app.locator('#exit').isVisible(), 'quick exit visible');

    await startChat(app);
    await answerScreening(app);
    const { offer } = await sam.acceptNext();
    await sam.say(offer.conversation.id, 'A long word: Antidisestablishmentarianism-and-more-words-without-spaces-at-all');
    await waitForLogText(app, 'Antidisestablishmentarianism');
    await visitorSays(app, 'A reply at a small size');
    assert.ok(!(await overflowsSideways(app)), 'the chat does not scroll sideways');
    for (const id of ['#exit', '#send', '#text', '#end-chat']) {
      const b = await app.locator(id).boundingBox();
      assert.ok(b && b.x >= 0 && b.x + b.width <= viewport.width + 1 && b.y + b.height <= viewport.height + 1, `${id} is on screen (${JSON.stringify(b)})`);
    }
    await app.locator('#end-chat').click();
    const d = await app.locator('#end-dialog').boundingBox();
    assert.ok(d.width <= viewport.width, 'the dialog fits');
  });
}

test('right-to-left: Arabic sets dir=rtl and mirrors the layout', async (t) => {
  const stack = await t.stack();
  const page = await t.page();
  await openDemo(page, stack, { lang: 'ar' });
  const bar = await page.locator('#helpline-widget .bar').boundingBox();
  assert.ok(bar.x < 200, `the launcher sits on the left in RTL (x=${bar.x})`);
  assert.equal(await page.locator('#helpline-widget .hlw').getAttribute('dir'), 'rtl');
  const app = await launch(page);
  assert.equal(await app.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await app.evaluate(() => document.documentElement.lang), 'ar');
  assert.equal(await app.locator('#start-h').textContent(), 'تحدّث مع شخص ما');
  const title = await app.locator('.title').boundingBox();
  const exit = await app.locator('#exit').boundingBox();
  assert.ok(exit.x < title.x, 'the header is mirrored: quick exit on the left of the title');
  const legend = await app.locator('#start-form legend').evaluate((e) => getComputedStyle(e).direction);
  assert.equal(legend, 'rtl');

  // Switching language on the start screen relabels everything, the launcher included.
  await app.locator('#lang').selectOption('pl');
  await waitUntil(async () => (await app.locator('#start-h').textContent()) === 'Porozmawiaj z kimś', { what: 'Polish strings' });
  assert.equal(await app.evaluate(() => document.documentElement.dir), 'ltr');
  await page.locator('#helpline-widget iframe').evaluate(() => 0);
  await waitUntil(async () => (await page.locator('#helpline-widget iframe').getAttribute('title')) === 'Poufny czat', { what: 'the frame title in Polish' });
});

test('reduced motion: no transitions or smooth scrolling when the visitor asks for less motion', async (t) => {
  const stack = await t.stack();
  const page = await t.page({ reducedMotion: 'reduce' });
  await openDemo(page, stack);
  const app = await launch(page);
  const styles = await app.evaluate(() => ({
    button: getComputedStyle(document.querySelector('#start-form [type=submit]')).transitionDuration,
    scroll: getComputedStyle(document.getElementById('chat-scroll')).scrollBehavior,
  }));
  assert.deepEqual(styles, { button: '0s', scroll: 'auto' });
});
