// Console continuity: a reply being written survives a reload of the tab (and only the tab: it is
// in sessionStorage, per conversation, gone once sent and at logout); after a dropped connection both sides
// show the messages in the server's order (seq); a risk flag raised while a conversation waited
// shows on its offer.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { Advisor } from '../lib/advisor.mjs';
import { Visitor, openConsole, goAvailable, queueAndAccept, acceptOffer, conversationPanel, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';
import { openDemo, launch, startChat, answerScreening, visitorSays, waitForLogText, logEntries } from '../lib/widget.mjs';

const drafts = (page) => page.evaluate(() => Object.keys(sessionStorage).filter((k) => /draft/.test(k))
  .map((k) => sessionStorage.getItem(k)));

test('a reload keeps each conversation its own draft reply; sending clears it; nothing is kept beyond the tab', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);
  const first = await queueAndAccept(t, stack, page);
  const second = await queueAndAccept(t, stack, page);
  const draftA = 'You said she was scared of you. Can you tell me';
  const draftB = 'Thank you for waiting, I am';
  await page.locator(`.tab[data-tab="conv:${first.id}"]`).click();
  await first.panel.locator('textarea.composer-input').pressSequentially(draftA);
  await page.locator(`.tab[data-tab="conv:${second.id}"]`).click();
  await second.panel.locator('textarea.composer-input').pressSequentially(draftB);

  await page.reload();
  await page.locator('#connection-state[data-state="logged_in"]').waitFor();
  const panelA = conversationPanel(page, first.id);
  const panelB = conversationPanel(page, second.id);
  await panelB.waitFor({ state: 'visible' });
  assert.equal(await panelB.locator('textarea.composer-input').inputValue(), draftB);
  await page.locator(`.tab[data-tab="conv:${first.id}"]`).click();
  assert.equal(await panelA.locator('textarea.composer-input').inputValue(), draftA);
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => /draft/.test(k))), [], 'no draft in localStorage');

  // Sent: the draft is gone, also after another reload; the other one stays.
  await panelA.locator('textarea.composer-input').press('Enter');
  await first.visitor.heard(draftA);
  await waitUntil(async () => !(await drafts(page)).includes(draftA), { what: 'the sent draft to be forgotten' });
  await page.reload();
  await page.locator('#connection-state[data-state="logged_in"]').waitFor();
  await page.locator(`.tab[data-tab="conv:${first.id}"]`).click();
  await panelA.locator('.transcript li.from-advisor', { hasText: draftA }).waitFor();
  assert.equal(await panelA.locator('textarea.composer-input').inputValue(), '');
  await page.locator(`.tab[data-tab="conv:${second.id}"]`).click();
  assert.equal(await panelB.locator('textarea.composer-input').inputValue(), draftB);

  // Logging out forgets every draft in the tab.
  await page.locator('#logout-button').click();
  await page.locator('#login-view').waitFor({ state: 'visible' });
  assert.deepEqual(await drafts(page), []);
  assertNoConsoleErrors(page);
});

test('after the console reconnects, the console and the widget show the messages in the order the server numbered them', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  // The console's sockets, so that its connection alone can be dropped.
  const keepSockets = () => {
    window.__sockets = [];
    const Native = window.WebSocket;
    window.WebSocket = class extends Native { constructor(...args) { super(...args); window.__sockets.push(this); } };
  };
  const page = await openConsole(t, stack, users.sam, { initScript: [keepSockets] });
  await goAvailable(page);
  const visitorPage = await t.page();
  await openDemo(visitorPage, stack);
  const widget = await launch(visitorPage);
  await startChat(widget);
  await answerScreening(widget);
  const offer = page.locator('.offer').first();
  await offer.waitFor({ timeout: 20000 });
  const id = await offer.getAttribute('data-conversation');
  await acceptOffer(page, id);
  const panel = conversationPanel(page, id);
  await visitorSays(widget, 'before the drop');
  await panel.locator('.transcript li.message', { hasText: 'before the drop' }).waitFor();

  // The console's network goes; the advisor writes two replies, the visitor writes in between.
  await page.context().setOffline(true);
  await page.evaluate(() => { for (const s of window.__sockets) s.close(); });
  await page.locator('#connection-state:not([data-state="logged_in"])').waitFor({ timeout: 20000 });
  const composer = panel.locator('textarea.composer-input');
  await composer.fill('reply written offline 1');
  await composer.press('Enter');
  await visitorSays(widget, 'visitor while advisor offline');
  await composer.fill('reply written offline 2');
  await composer.press('Enter');
  await visitorSays(widget, 'visitor again');
  await page.context().setOffline(false);
  await page.locator('#connection-state[data-state="logged_in"]').waitFor({ timeout: 20000 });
  await panel.locator('.transcript li.message', { hasText: 'visitor again' }).waitFor();
  await waitUntil(async () => (await panel.locator('.pending-messages li').count()) === 0, { what: 'the outbox to empty' });
  await waitForLogText(widget, 'reply written offline 2');

  // The server's order.
  const reader = await Advisor.login(stack, users.sam);
  t.cleanup(() => reader.close());
  const stored = (await reader.history(id, 0)).messages.filter((m) => m.from !== 'system').map((m) => m.text);
  assert.equal(stored.length, 5, `stored: ${JSON.stringify(stored)}`);
  const shown = await panel.locator('.transcript li.message .message-text').allTextContents();
  assert.deepEqual(shown.filter((x) => stored.includes(x)), stored, 'the console shows the stored messages in seq order, each once');
  const inWidget = (await logEntries(widget)).map((e) => e.text).filter((x) => stored.includes(x));
  assert.deepEqual(inWidget, stored, 'the widget shows them in the same order');
  assertNoConsoleErrors(page);
});

test('a flag raised while the conversation waited shows on the offer', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} }, { routing: { offer_timeout_seconds: 30 } });
  const page = await openConsole(t, stack, users.sam);
  // Sam is away while the visitor waits and writes.
  const visitor = await Visitor.connect(stack);
  t.cleanup(() => visitor.close());
  await visitor.startAndQueue();
  await visitor.say('I grabbed her by the throat last night');
  await page.locator(`.queue-entry[data-conversation="${visitor.conversationId}"] .badge[data-level="high"]`).waitFor();

  await goAvailable(page);
  const offer = page.locator(`.offer[data-conversation="${visitor.conversationId}"]`);
  await offer.waitFor({ timeout: 20000 });
  await offer.locator('.badge[data-level="high"]').waitFor();
  await offer.locator('.chip[data-category="strangulation"]').waitFor();

  // A flag raised while the offer is on screen shows on it too.
  await visitor.say('I am going to kill her tonight');
  await offer.locator('.badge[data-level="imminent"]').waitFor();
  await offer.locator('.chip[data-category="threat_to_kill"]').waitFor();
  assertNoConsoleErrors(page);
});
