// Console: an imminent flag alerts the supervisor wherever they are in the console (role=alert +
// sound), and shows the advisor the emergency guidance from configuration.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { Visitor, openConsole, goAvailable, conversationPanel, assertNoConsoleErrors, queueAndAccept, stackWithUsers } from '../lib/console.mjs';

const GUIDANCE = 'TEST GUIDANCE: call 999 now and tell the duty supervisor.';

test('imminent risk alerts a supervisor in a third context, who joins; the advisor sees the guidance', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {}, priya: {}, sue: { role: 'supervisor' } }, { config: { emergency_guidance: GUIDANCE } });
  const samPage = await openConsole(t, stack, users.sam);
  const priyaPage = await openConsole(t, stack, users.priya);
  const suePage = await openConsole(t, stack, users.sue);
  // The supervisor is busy elsewhere in the console: the callbacks tab.
  await suePage.locator('.tab[data-tab="callbacks"]').click();
  await goAvailable(samPage);

  const { visitor, id, panel } = await queueAndAccept(t, stack, samPage);
  const beeps = Number(await suePage.evaluate(() => document.documentElement.dataset.beeps || 0));

  await visitor.say('I am going to kill her tonight');

  // Supervisor: a role=alert banner, whatever tab is open, with a sound.
  const alert = suePage.locator(`.risk-alert[data-conversation="${id}"]`);
  await alert.waitFor({ timeout: 15000 });
  assert.equal(await alert.getAttribute('role'), 'alert');
  assert.match(await alert.textContent(), /IMMINENT RISK/);
  assert.match(await alert.textContent(), /Sam/);
  assert.ok(Number(await suePage.evaluate(() => document.documentElement.dataset.beeps)) > beeps, 'alert sound played');
  assert.equal(await suePage.locator('.tab[aria-selected="true"]').getAttribute('data-tab'), 'callbacks', 'shown over the current tab');
  // Another advisor is not alerted.
  assert.equal(await priyaPage.locator(`.risk-alert[data-conversation="${id}"]`).count(), 0);

  // Advisor: level imminent and the emergency guidance from configuration.
  await panel.locator('.conv-level .badge[data-level="imminent"]').waitFor();
  await panel.locator('.guidance', { hasText: GUIDANCE }).waitFor();
  await samPage.locator(`.guidance-alert[data-conversation="${id}"]`, { hasText: GUIDANCE }).waitFor();
  await panel.locator('.transcript mark.flag[data-categories~="imminent_danger"]').first().waitFor();

  // The supervisor joins from the alert and sees the conversation live.
  assertNoConsoleErrors(suePage, 'Sue before joining');
  await alert.locator('button', { hasText: 'Join now' }).click();
  const supPanel = conversationPanel(suePage, id);
  await supPanel.waitFor({ state: 'visible' });
  await supPanel.locator('.transcript li.from-visitor', { hasText: 'kill her tonight' }).waitFor();
  await visitor.say('I have the car keys');
  await supPanel.locator('.transcript li.from-visitor', { hasText: 'car keys' }).waitFor();
  for (const [p, n] of [[samPage, 'Sam'], [priyaPage, 'Priya'], [suePage, 'Sue']]) assertNoConsoleErrors(p, n);
});

test('answering yes to the danger question alerts supervisors before anyone accepts', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sue: { role: 'supervisor' } });
  const suePage = await openConsole(t, stack, users.sue);
  const visitor = await Visitor.connect(stack);
  t.cleanup(() => visitor.close());
  await visitor.startAndQueue({ answers: { danger_now: 'yes' } });
  const alert = suePage.locator(`.risk-alert[data-conversation="${visitor.conversationId}"]`);
  await alert.waitFor({ timeout: 15000 });
  assert.equal(await alert.getAttribute('role'), 'alert');
  // Queue by level on the supervision tab shows it at the top level.
  await suePage.locator('.tab[data-tab="supervisor"]').click();
  await suePage.locator('.queue-by-level li[data-level="imminent"][data-count="1"]').waitFor();
  assertNoConsoleErrors(suePage);
});
