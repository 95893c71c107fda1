// Console: programme suggestions for the visitor's area, each with its reasons for the advisor, sent to the
// visitor as a card in one click.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { openConsole, goAvailable, queueAndAccept, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

test('programme suggestions with reasons for the advisor are sent to the visitor as a card without them, in one click', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);
  const { visitor, panel } = await queueAndAccept(t, stack, page, { answers: { what_worries: 'physical' } });

  await page.keyboard.press('Alt+Shift+KeyP');
  const location = panel.locator('input.programme-location');
  assert.equal(await location.evaluate((el) => el === document.activeElement), true, 'the shortcut focuses the area field');
  await location.fill('LS6');
  await location.press('Enter');
  const first = panel.locator('.programme-results li.programme').first();
  await first.waitFor();
  const name = (await first.locator('strong').textContent()).trim();
  const reasons = await first.locator('ul.reasons li').allTextContents();
  assert.ok(reasons.length > 0, 'each suggestion says why it was chosen');

  await first.locator('button.send-card').click();
  const card = await visitor.next((m) => m.type === 'message' && m.from === 'advisor' && m.card, 15000);
  assert.equal(card.card.kind, 'programme');
  assert.equal(card.card.name, name);
  // Why it was chosen stays with the advisor: the visitor's card has how to reach it, no risk words.
  assert.equal(card.card.reasons, undefined);
  assert.equal(card.card.type_label, undefined);
  assert.ok(card.card.contact, 'how to get in touch');
  for (const r of reasons) assert.ok(!JSON.stringify(card).includes(r), `no reason in what the visitor gets: ${r}`);
  assert.ok(card.text.includes(name), 'the message text names the programme');
  await panel.locator('.transcript li.from-advisor .programme-card', { hasText: name }).waitFor();
  assertNoConsoleErrors(page);
});
