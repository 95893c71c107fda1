// Console: the four-eyes plan for a high-risk conversation. The advisor records the plan (acting
// first in an emergency), supervisors see it awaiting confirmation, the supervisor who proposed a
// plan cannot confirm it, a different supervisor confirms, and the advisor sees who and when.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { Advisor } from '../lib/advisor.mjs';
import { openConsole, goAvailable, conversationPanel, queueAndAccept, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

/** Opens the supervision tab and returns the live-list row of conversation `id`. */
async function supervisionRow(page, id) {
  await page.locator('.tab[data-tab="supervisor"]').click();
  const row = page.locator(`.sup-conversations tr[data-conversation="${id}"]`);
  await row.waitFor();
  return row;
}

test('four eyes: advisor acts first, the proposer cannot confirm, another supervisor confirms', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {}, sue: { role: 'supervisor' }, bob: { role: 'supervisor' } });
  const sam = await openConsole(t, stack, users.sam);
  await goAvailable(sam);
  const { visitor, id, panel } = await queueAndAccept(t, stack, sam);

  // A disclosure of strangulation makes the conversation high risk: the plan panel appears.
  await visitor.say('I grabbed her by the throat last night');
  await panel.locator('.conv-level [data-level="high"]').waitFor();
  const planSection = panel.locator('.side-plan');
  await planSection.locator('text=agree the plan with a supervisor').waitFor();

  // The advisor records the plan, having acted first.
  await planSection.locator('textarea.plan-text').fill('Advised him to leave the house tonight; gave the police number');
  await planSection.locator('.plan-form input[type=checkbox]').check();
  await planSection.locator('.plan-form button[type=submit]').click();
  await planSection.locator('.plan-status .plan-awaiting').waitFor();
  await planSection.locator('.plan-status .acted-first').waitFor();
  assert.equal(await planSection.locator('.plan-confirm').count(), 0, 'an advisor cannot confirm');

  // Supervisor A sees it awaiting confirmation in the live list.
  const sue = await openConsole(t, stack, users.sue);
  const sueRow = await supervisionRow(sue, id);
  const sueCell = sueRow.locator('.plan-cell[data-confirmed="no"]');
  await sueCell.waitFor();
  assert.match(await sueCell.textContent(), /Plan by Sam.*Advised him to leave the house tonight.*Acted first.*Awaiting a supervisor's confirmation/s);
  await sueCell.locator('button.plan-confirm').waitFor();

  // A joins and records a plan of her own (it replaces the advisor's): she may not confirm it.
  await sueRow.locator('button.join').click();
  const suePanel = conversationPanel(sue, id);
  await suePanel.waitFor({ state: 'visible' });
  const suePlan = suePanel.locator('.side-plan');
  await suePlan.locator('.plan-status .plan-awaiting').waitFor();
  await suePlan.locator('textarea.plan-text').fill('Call 999 now; keep him talking; safeguarding lead informed');
  await suePlan.locator('.plan-form input[type=checkbox]').check();
  await suePlan.locator('.plan-form button[type=submit]').click();
  await suePlan.locator('.plan-status', { hasText: 'Plan by Sue' }).waitFor();
  await suePlan.locator('.four-eyes').waitFor();
  assert.equal(await suePlan.locator('.plan-confirm').count(), 0, 'the proposer has no confirm button');
  await sue.locator('.tab[data-tab="supervisor"]').click();
  await sueRow.locator('.plan-cell', { hasText: 'Plan by Sue' }).locator('.four-eyes').waitFor();
  assert.equal(await sueRow.locator('.plan-confirm').count(), 0, 'nor in the live list');

  // The server enforces the same rule, and the replaced plan can no longer be confirmed.
  const sueWire = await Advisor.login(stack, users.sue);
  t.cleanup(() => sueWire.close());
  const current = (await sueWire.request({ type: 'conversations' })).conversations.find((c) => c.id === id).plan;
  assert.equal(current.proposed_by.id, 'sue');
  await assert.rejects(sueWire.request({ type: 'plan_confirm', conversation_id: id, plan_id: current.id }), (e) => e.reply.code === 'forbidden');

  // The advisor's console follows: the new plan, awaiting confirmation.
  await planSection.locator('.plan-status', { hasText: 'Plan by Sue' }).locator('.plan-awaiting').waitFor();

  // Supervisor B confirms from the live list.
  const bob = await openConsole(t, stack, users.bob);
  const bobRow = await supervisionRow(bob, id);
  await bobRow.locator('.plan-cell', { hasText: 'Plan by Sue' }).locator('button.plan-confirm').click();
  await bobRow.locator('.plan-cell[data-confirmed="yes"]', { hasText: 'Confirmed by Bob' }).waitFor();

  // The advisor sees who confirmed it and when; so does A.
  const confirmed = planSection.locator('.plan-status[data-confirmed="yes"] .plan-confirmed');
  await confirmed.waitFor();
  assert.match(await confirmed.textContent(), /^Confirmed by Bob at .*\d{1,2}:\d{2}/);
  await suePlan.locator('.plan-confirmed', { hasText: 'Confirmed by Bob' }).waitFor({ state: 'attached' }); // her open tab is the supervision one
  assert.equal(await planSection.locator('.plan-awaiting').count(), 0);

  const after = (await sueWire.request({ type: 'conversations' })).conversations.find((c) => c.id === id).plan;
  assert.equal(after.confirmed_by.id, 'bob');
  assert.ok(after.confirmed_at >= after.proposed_at);
  for (const [page, who] of [[sam, 'Sam'], [sue, 'Sue'], [bob, 'Bob']]) assertNoConsoleErrors(page, who);
}, { timeout: 120000 });
