// Console: when a visitor writes in a language the screening has no phrases for, the advisor is
// told, on the offer and in the conversation, not to rely on the automatic risk flags.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { openConsole, goAvailable, Visitor, acceptOffer, conversationPanel, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

test('a visitor in a language without screening is flagged to the advisor', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);

  const visitor = await Visitor.connect(stack, { lang: 'ar' });
  t.cleanup(() => visitor.close());
  await visitor.startAndQueue({ lang: 'ar' });
  const id = visitor.conversationId;
  const offer = page.locator(`.offer[data-conversation="${id}"]`);
  await offer.waitFor({ timeout: 20000 });
  const warning = await offer.locator('.screening-unavailable').textContent();
  assert.match(warning, /screening does not cover/i);
  assert.match(warning, /\(ar\)/, 'names the language');
  assert.match(await offer.textContent(), /العربية/, 'the offer says the chat is in Arabic, not English');
  assert.doesNotMatch(await offer.locator('.offer-head').textContent(), /English/);

  await acceptOffer(page, id);
  const panel = conversationPanel(page, id);
  await panel.locator('.screening-unavailable').waitFor();
  assert.equal(await panel.locator('.conv-lang').textContent(), 'العربية', 'the conversation is labelled Arabic');

  // An English conversation carries no such warning.
  const english = await Visitor.connect(stack);
  t.cleanup(() => english.close());
  await english.startAndQueue();
  const englishOffer = page.locator(`.offer[data-conversation="${english.conversationId}"]`);
  await englishOffer.waitFor({ timeout: 20000 });
  assert.equal(await englishOffer.locator('.screening-unavailable').count(), 0);
  assertNoConsoleErrors(page);
});
