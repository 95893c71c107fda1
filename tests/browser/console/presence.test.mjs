// Visitor presence: a visitor who closes the tab stops counting in the queue and is not offered
// within seconds; the console shows presence on queue entries, offers and conversations; a quick
// exit ends the conversation at once and the advisor is told it was one.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { openDemo, launch, startChat, answerScreening } from '../lib/widget.mjs';
import { Visitor, openConsole, goAvailable, conversationPanel, queueAndAccept, stackWithUsers } from '../lib/console.mjs';

const presenceIn = (page, selector) => page.evaluate((sel) => {
  const chip = document.querySelector(`${sel} .chip.visitor-presence`);
  return chip ? { presence: chip.dataset.presence, text: chip.textContent } : null;
}, selector);

test('a visitor who closes the tab leaves the counted queue within seconds and is not offered', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  const samPage = await openConsole(t, stack, users.sam); // away: nobody is offered yet

  // The first in the queue is a real widget in a tab; the second waits over the protocol.
  const tab = await t.page();
  await openDemo(tab, stack);
  const app = await launch(tab);
  await startChat(app, 'own_behaviour');
  await answerScreening(app);
  const second = await Visitor.connect(stack);
  t.cleanup(() => second.close());
  await second.startAndQueue({ callerType: 'friend_family' });
  assert.equal(second.firstQueue.position, 2, 'behind the visitor in the tab');

  // The console shows both as connected.
  await waitUntil(async () => (await samPage.locator('.queue-entry .chip.presence-connected').count()) === 2, { what: 'two connected visitors in the queue' });

  // The tab closes: within seconds the other visitor is first and the console says who is away.
  const closedAt = Date.now();
  await tab.close();
  const moved = await second.next((m) => m.type === 'queue' && m.position === 1, 10000);
  assert.ok(moved.position === 1);
  const tookMs = Date.now() - closedAt;
  assert.ok(tookMs < 5000, `positions counted only live visitors within seconds (took ${tookMs} ms)`);
  await waitUntil(async () => (await samPage.locator('.queue-entry .chip.presence-away').count()) === 1, { what: 'the closed tab shown as away' });
  const away = await samPage.locator('.queue-entry', { has: samPage.locator(".chip.presence-away") }).textContent();
  assert.match(away, /Visitor away/);

  // The advisor becomes available: the visitor who is there is offered, not the ghost ahead.
  await goAvailable(samPage);
  const offer = samPage.locator(`.offer[data-conversation="${second.conversationId}"]`);
  await offer.waitFor({ timeout: 15000 });
  assert.equal((await presenceIn(samPage, `.offer[data-conversation="${second.conversationId}"]`)).text, 'Visitor connected');
  assert.equal(await samPage.locator('.offer').count(), 1, 'the away visitor is not offered');
});

test('an offer is taken back when the visitor leaves, and a conversation shows when they are away', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  const samPage = await openConsole(t, stack, users.sam);
  await goAvailable(samPage);
  const v = await Visitor.connect(stack);
  await v.startAndQueue();
  const offer = samPage.locator(`.offer[data-conversation="${v.conversationId}"]`);
  await offer.waitFor({ timeout: 15000 });
  v.close();
  await offer.waitFor({ state: 'detached', timeout: 5000 });

  // In an active chat the advisor sees the visitor go away and come back.
  const { visitor, id, panel } = await queueAndAccept(t, stack, samPage);
  await waitUntil(async () => (await presenceIn(samPage, `section.conversation[data-conversation="${id}"] .conv-presence`))?.presence === 'connected', { what: 'connected in the header' });
  visitor.close();
  await waitUntil(async () => (await presenceIn(samPage, `section.conversation[data-conversation="${id}"] .conv-presence`))?.presence === 'away', { timeout: 5000, what: 'away in the header' });
  const back = await Visitor.connect(stack, { resume: visitor.resumeToken, lastSeq: 0 });
  t.cleanup(() => back.close());
  assert.equal(back.welcome.resume, 'ok');
  await waitUntil(async () => (await presenceIn(samPage, `section.conversation[data-conversation="${id}"] .conv-presence`))?.presence === 'connected', { timeout: 5000, what: 'connected again' });
  assert.ok(await panel.isVisible());
});

test('quick exit ends the conversation at once and the advisor is told it was a quick exit', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  const samPage = await openConsole(t, stack, users.sam);
  await goAvailable(samPage);
  const tab = await t.page();
  await openDemo(tab, stack);
  const app = await launch(tab);
  await startChat(app, 'own_behaviour');
  await answerScreening(app);
  const offer = samPage.locator('.offer');
  await offer.waitFor({ timeout: 15000 });
  const id = await offer.getAttribute('data-conversation');
  await offer.locator('button.accept').click();
  const panel = conversationPanel(samPage, id);
  await panel.waitFor({ state: 'visible' });
  await app.locator('#log .sys').first().waitFor();

  await app.locator('#exit').click();
  const notice = panel.locator('.conv-notice');
  await waitUntil(async () => /quick exit/.test(await notice.textContent()), { timeout: 5000, what: 'the quick-exit notice' });
  assert.match(await notice.textContent(), /Do not try to contact them/);
  await panel.locator('.conv-state', { hasText: /wrap/i }).waitFor({ timeout: 5000 });

  // A visitor who quick-exits while waiting (Sam is in wrap-up: nobody is offered) leaves the
  // queue at once, not after the minutes an unexplained disconnection is given.
  const tab2 = await t.page();
  await openDemo(tab2, stack);
  const app2 = await launch(tab2);
  await startChat(app2, 'friend_family');
  await answerScreening(app2);
  await waitUntil(async () => (await samPage.locator('.queue-entry').count()) === 1, { what: 'the visitor in the queue' });
  await app2.locator('#exit').click();
  await waitUntil(async () => (await samPage.locator('.queue-entry').count()) === 0,
    { timeout: 5000, what: 'the quick-exited visitor to leave the queue (not stay as away)' });
});
