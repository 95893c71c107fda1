// Console: recording a decision to break confidentiality (who decided, why, shared with whom).
// The form insists on all three; the supervisor sees the record, also when it arrives live.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { openConsole, goAvailable, conversationPanel, queueAndAccept, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

test('confidentiality break: required fields enforced, record shown to the supervisor', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {}, sue: { role: 'supervisor' } });
  const sam = await openConsole(t, stack, users.sam);
  await goAvailable(sam);
  const { visitor, id, panel } = await queueAndAccept(t, stack, sam);
  await visitor.say('I grabbed her by the throat last night');
  await panel.locator('.conv-level [data-level="high"]').waitFor();

  const section = panel.locator('.side-disclosure');
  const details = section.locator('details');
  if (!(await details.evaluate((d) => d.open))) await section.locator('summary').click();
  const form = section.locator('form.disclosure-form');
  const decided = form.locator('input.disclosure-decided');
  const reason = form.locator('textarea.disclosure-reason');
  const shared = form.locator('input.disclosure-shared');
  assert.equal(await decided.inputValue(), 'Sam', 'who decided starts with the advisor');

  // Nothing filled in: every field is named, nothing is recorded.
  await decided.fill('');
  await form.locator('button[type=submit]').click();
  const error = form.locator('.disclosure-error');
  await error.filter({ hasText: 'Required' }).waitFor();
  assert.match(await error.textContent(), /Who decided.*Why.*Shared with/);
  for (const input of [decided, reason, shared]) assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.equal(await section.locator('ul.disclosures li').count(), 0);

  // Only the recipient missing: just that one is named.
  await decided.fill('Sam with Sue (supervisor)');
  await reason.fill('Strangulation last night; he says he will do it again');
  await form.locator('button[type=submit]').click();
  await error.filter({ hasText: /^Required: Shared with\.$/ }).waitFor();
  assert.equal(await decided.getAttribute('aria-invalid'), 'false');
  assert.equal(await shared.getAttribute('aria-invalid'), 'true');

  await shared.fill('Police (999)');
  await form.locator('button[type=submit]').click();
  const record = section.locator('ul.disclosures li').first();
  await record.waitFor();
  assert.match(await record.textContent(), /Sam with Sue \(supervisor\) decided to share with Police \(999\).*Strangulation last night.*Recorded by Sam/s);
  assert.equal(await error.textContent(), '');

  // The supervisor joins and sees the record with the conversation.
  const sue = await openConsole(t, stack, users.sue);
  await sue.locator('.tab[data-tab="supervisor"]').click();
  await sue.locator(`.sup-conversations tr[data-conversation="${id}"] button.join`).click();
  const suePanel = conversationPanel(sue, id);
  await suePanel.waitFor({ state: 'visible' });
  const sueSection = suePanel.locator('.side-disclosure');
  if (!(await sueSection.locator('details').evaluate((d) => d.open))) await sueSection.locator('summary').click();
  await sueSection.locator('ul.disclosures li', { hasText: 'decided to share with Police (999)' }).waitFor();

  // A second decision reaches the supervisor's console while it is open.
  await reason.fill('Children in the house at the time');
  await shared.fill("Children's services duty team");
  await form.locator('button[type=submit]').click();
  await sueSection.locator('ul.disclosures li', { hasText: "decided to share with Children's services duty team" }).waitFor();
  assert.equal(await sueSection.locator('ul.disclosures li').count(), 2);
  assert.equal(await section.locator('ul.disclosures li').count(), 2, 'no duplicate from the reply and the push');
  assertNoConsoleErrors(sam, 'Sam');
  assertNoConsoleErrors(sue, 'Sue');
});
