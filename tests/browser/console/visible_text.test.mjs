// Console: no screen shows "null", "undefined", "NaN" or "[object Object]" (a missing field or an
// empty part written out as text). One admin walks every screen: login, queue, an offer, a
// conversation with a flagged message and every side panel open, programme suggestions,
// callbacks, supervision, administration (users, directory) and statistics.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import {
  Visitor, openConsole, goAvailable, acceptOffer, conversationPanel, stackWithUsers, junkText, useSidePanels, assertNoConsoleErrors,
} from '../lib/console.mjs';

async function assertClean(page, screen) {
  const found = await junkText(page);
  assert.deepEqual(found, [], `${screen} shows placeholder text:\n  ${found.join('\n  ')}`);
}

test('no screen of the console shows null, undefined, NaN or [object Object]', async (t) => {
  const { stack, users } = await stackWithUsers(t, { ada: { role: 'admin' }, priya: {} });

  // The login screen.
  const login = await t.page();
  await login.goto(stack.url('/console/'));
  await login.locator('#login-username').waitFor({ state: 'visible' });
  await assertClean(login, 'the login screen');

  // A callback waiting, with a note.
  const caller = await Visitor.connect(stack);
  t.cleanup(() => caller.close());
  const cb = await caller.request({
    type: 'callback_request', phone: '07700 900123', lang: 'en', caller_type: 'own_behaviour',
    safe_times: [{ day: 'any', from: '00:00', to: '23:59' }], may_leave_message: false, may_say_who_is_calling: false, note: 'after six',
  });

  const page = await openConsole(t, stack, users.ada);
  // The queue, with an entry and its answers open.
  const visitor = await Visitor.connect(stack);
  t.cleanup(() => visitor.close());
  await visitor.startAndQueue({ answers: { what_worries: 'physical' } });
  const id = visitor.conversationId;
  const entry = page.locator(`.queue-entry[data-conversation="${id}"]`);
  await entry.waitFor();
  await entry.locator('details summary').click();
  await assertClean(page, 'the queue');

  // The offer.
  await goAvailable(page);
  await page.locator(`.offer[data-conversation="${id}"]`).waitFor({ timeout: 20000 });
  await assertClean(page, 'the offer');

  // The conversation: a flagged message, then every side panel used and open.
  await acceptOffer(page, id);
  const panel = conversationPanel(page, id);
  const ack = await visitor.say('I grabbed her by the throat last night, it was only a bit of pushing');
  await panel.locator(`.transcript li[data-seq="${ack.seq}"] mark.flag`).first().waitFor();
  await useSidePanels(panel);
  await assertClean(page, 'the conversation with its side panels');

  // Callbacks, before and after claiming one.
  await page.locator('.tab[data-tab="callbacks"]').click();
  const item = page.locator(`li.callback[data-callback="${cb.callback_id}"]`);
  await item.waitFor();
  await assertClean(page, 'the callbacks list');
  await item.locator('button.claim').click();
  await item.locator('.phone-number').waitFor();
  await assertClean(page, 'a claimed callback');

  // Supervision, with a second visitor waiting (Ada is away now).
  await page.locator('#presence-select').selectOption('away');
  await page.locator('#status-region', { hasText: 'Away' }).waitFor();
  const waiting = await Visitor.connect(stack);
  t.cleanup(() => waiting.close());
  await waiting.startAndQueue({ callerType: 'professional' });
  await page.locator('.tab[data-tab="supervisor"]').click();
  await page.locator(`.sup-conversations tr[data-conversation="${id}"]`).waitFor();
  await page.locator(`.sup-conversations tr[data-conversation="${waiting.conversationId}"]`).waitFor();
  await page.locator('.sup-advisors tr[data-advisor="priya"]').waitFor();
  await assertClean(page, 'the supervisor view');

  // Administration: the users table and the directory, checked.
  await page.locator('.tab[data-tab="admin"]').click();
  await page.locator('.admin-users tr[data-user="priya"]').waitFor();
  const directory = page.locator('.admin-directory');
  await directory.locator('.dir-count').waitFor();
  await directory.locator('.dir-list summary').click();
  await directory.locator('button.dir-validate').click();
  await directory.locator('.dir-result[data-result="ok"]').waitFor();
  await assertClean(page, 'the administration');

  // Statistics.
  await page.locator('.tab[data-tab="stats"]').click();
  await page.locator('.stats-summary').waitFor();
  await assertClean(page, 'the statistics');

  // The wrap-up after the conversation ends.
  await page.locator(`.tab[data-tab="conv:${id}"]`).click();
  await panel.locator('.end-button').click();
  await panel.locator('.end-confirm button.confirm-end').click();
  await panel.locator('form.wrapup-form').waitFor();
  await assertClean(page, 'the wrap-up');
  assertNoConsoleErrors(page);
}, { timeout: 120000 });
