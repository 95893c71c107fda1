// Console accessibility: axe (WCAG 2.x A/AA) on the login form, the queue with an offer, and a
// conversation with highlighted risk evidence and the wrap-up form.
import { test } from '../lib/harness.mjs';
import { assertNoAxeViolations } from '../lib/browser.mjs';
import { Visitor, openConsole, goAvailable, queueAndAccept, stackWithUsers } from '../lib/console.mjs';

test('login, offer, conversation and wrap-up have no axe violations', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  const login = await t.page();
  await login.goto(stack.url('/console/'));
  await login.locator('#login-username').waitFor({ state: 'visible' });
  await assertNoAxeViolations(login, 'the login form');

  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);
  const waiting = await Visitor.connect(stack);
  t.cleanup(() => waiting.close());
  await waiting.startAndQueue({ answers: { what_worries: 'physical' } });
  await page.locator(`.offer[data-conversation="${waiting.conversationId}"]`).waitFor({ timeout: 20000 });
  await assertNoAxeViolations(page, 'the queue with an offer');
  await page.locator(`.offer[data-conversation="${waiting.conversationId}"] button.accept`).click();

  const { visitor, panel } = await queueAndAccept(t, stack, page);
  await visitor.say('I grabbed her by the throat. It was only a shove though.');
  await panel.locator('mark.flag').first().waitFor();
  await assertNoAxeViolations(page, 'a conversation with risk evidence');
  await visitor.request({ type: 'end' });
  await panel.locator('form.wrapup-form').waitFor();
  await assertNoAxeViolations(page, 'the wrap-up form');
});
