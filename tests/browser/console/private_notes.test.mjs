// A supervisor who joins to watch writes private notes, visibly distinct, that only advisors and
// supervisors on the conversation see: never the visitor, and the server refuses a watcher's
// visitor-visible message. Whether the visitor is told a supervisor joined is the helpline's policy.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { Advisor } from '../lib/advisor.mjs';
import { openConsole, goAvailable, conversationPanel, advisorSays, queueAndAccept, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

async function joinAsSupervisor(page, id) {
  await page.locator('.tab[data-tab="supervisor"]').click();
  const row = page.locator(`.sup-conversations tr[data-conversation="${id}"]`);
  await row.locator('button.join').click();
  const panel = conversationPanel(page, id);
  await panel.waitFor({ state: 'visible' });
  return panel;
}

test('a watching supervisor whispers to the advisor; the visitor never sees it and cannot be written to', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {}, sue: { role: 'supervisor' } });
  const samPage = await openConsole(t, stack, users.sam);
  const suePage = await openConsole(t, stack, users.sue);
  await goAvailable(samPage);
  const { visitor, id, panel: samPanel } = await queueAndAccept(t, stack, samPage);
  await visitor.say('I grabbed her arm and I am scared of what I might do');
  await samPanel.locator('.transcript li.from-visitor').waitFor();

  const suePanel = await joinAsSupervisor(suePage, id);
  // The composer says what it is: a private note, not "Your reply".
  const label = await suePanel.locator('.composer > label').textContent();
  assert.equal(label, 'Private note to the team (the visitor will not see this)');
  assert.equal(await suePanel.locator('.composer .private-toggle').isChecked(), true);
  assert.equal(await suePanel.locator('.composer .private-toggle').isDisabled(), true, 'a watcher cannot switch to replying');
  assert.equal(await suePanel.locator('.composer button[type=submit]').textContent(), 'Add private note');

  await suePanel.locator('textarea.composer-input').fill('Ask about the children before anything else');
  await suePanel.locator('textarea.composer-input').press('Enter');
  // Both consoles show it as a private note, distinct from replies.
  for (const panel of [suePanel, samPanel]) {
    const note = panel.locator('.transcript li.team-note', { hasText: 'Ask about the children' });
    await note.waitFor();
    assert.match(await note.textContent(), /Private note\s*Sue/);
    assert.equal(await panel.locator('.transcript li.from-advisor', { hasText: 'Ask about the children' }).count(), 0);
  }

  // The advisor replies normally, and can also leave a note.
  await advisorSays(samPage, id, 'Thank you for telling me. Are there children at home?');
  await visitor.heard('Thank you for telling me. Are there children at home?');
  await samPanel.locator('.composer .private-toggle').check();
  assert.equal(await samPanel.locator('.composer > label').textContent(), 'Private note to the team (the visitor will not see this)');
  await samPanel.locator('textarea.composer-input').fill('Noted, asking now');
  await samPanel.locator('textarea.composer-input').press('Enter');
  await suePanel.locator('.transcript li.team-note', { hasText: 'Noted, asking now' }).waitFor();
  await samPanel.locator('.composer .private-toggle').uncheck();
  await advisorSays(samPage, id, 'How old are they?');
  await visitor.heard('How old are they?');

  // The visitor got the two replies and nothing else: no note, no typing from a note being written.
  const seen = visitor.inbox.concat([]).filter((m) => m.type === 'message');
  assert.ok(!JSON.stringify(visitor.inbox).includes('Ask about the children'), 'the supervisor\'s note never reached the visitor');
  assert.ok(!JSON.stringify(visitor.inbox).includes('Noted, asking now'), 'the advisor\'s note never reached the visitor');
  assert.equal(seen.filter((m) => m.text && m.text.includes('Noted')).length, 0);
  // After a reconnect (replay from seq 0) the notes stay hidden.
  const { Visitor } = await import('../lib/console.mjs');
  const again = await Visitor.connect(stack, { resume: visitor.resumeToken, lastSeq: 0 });
  t.cleanup(() => again.close());
  await again.heard('How old are they?');
  assert.ok(!JSON.stringify(again.inbox).includes('Ask about the children'), 'not in the replay either');

  // The server enforces it: a watching supervisor's visitor-visible message is refused.
  const sue = await Advisor.login(stack, users.sue);
  t.cleanup(() => sue.close());
  await sue.request({ type: 'join', conversation_id: id });
  await assert.rejects(sue.request({ type: 'message', conversation_id: id, client_id: 'x-1', text: 'Hello from the supervisor' }),
    (e) => e.reply && e.reply.code === 'forbidden' && /take over/.test(e.reply.message));
  assert.ok(!JSON.stringify(visitor.inbox).includes('Hello from the supervisor'));
  assertNoConsoleErrors(suePage, 'supervisor console');
  assertNoConsoleErrors(samPage, 'advisor console');
});

test('when the helpline\'s policy says so, the visitor is told a supervisor joined', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {}, sue: { role: 'supervisor' } },
    { config: { supervision: { tell_visitor_on_join: true } } });
  const samPage = await openConsole(t, stack, users.sam);
  const suePage = await openConsole(t, stack, users.sue);
  await goAvailable(samPage);
  const { visitor, id, panel: samPanel } = await queueAndAccept(t, stack, samPage);
  await joinAsSupervisor(suePage, id);
  const told = await visitor.next((m) => m.type === 'message' && m.notice === 'supervisor_joined');
  assert.equal(told.from, 'system');
  await samPanel.locator('.transcript li.notice', { hasText: 'A supervisor joined the conversation. The visitor was told.' }).waitFor();
});

test('by default joining stays silent to the visitor', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {}, sue: { role: 'supervisor' } });
  const samPage = await openConsole(t, stack, users.sam);
  const suePage = await openConsole(t, stack, users.sue);
  await goAvailable(samPage);
  const { visitor, id } = await queueAndAccept(t, stack, samPage);
  await joinAsSupervisor(suePage, id);
  await advisorSays(samPage, id, 'Hello, I am here');
  await visitor.heard('Hello, I am here');
  assert.equal(visitor.inbox.filter((m) => m.notice).length, 0);
});
