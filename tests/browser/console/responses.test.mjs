// Console: prepared (canned) responses and cue suggestions, in the conversation's language,
// go into the message box, the advisor edits them, and the visitor receives the edited text.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from '../lib/harness.mjs';
import { cueResponses } from '../lib/content.mjs';
import { repoRoot } from '../lib/stack.mjs';
import { Visitor, openConsole, goAvailable, acceptOffer, conversationPanel, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

/** First `column` text for `key` in a tab-separated content file (`where` picks among lines). */
function contentText(file, key, column, where = () => true) {
  const line = fs.readFileSync(path.join(repoRoot, 'content', file), 'utf8').split('\n')
    .find((l) => !l.startsWith('#') && l.split('\t')[0] === key && where(l.split('\t')));
  return line.split('\t')[column];
}

test('canned response and cue suggestion in Spanish: inserted, edited, sent', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: { languages: ['en', 'es'] } });
  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);
  const visitor = await Visitor.connect(stack, { lang: 'es' });
  t.cleanup(() => visitor.close());
  await visitor.startAndQueue({ lang: 'es' });
  const id = visitor.conversationId;
  await acceptOffer(page, id);
  const panel = conversationPanel(page, id);
  await visitor.next('advisor_joined');

  // A minimising message: the cue is marked and its suggested responses (Spanish) are offered.
  await visitor.say('Solo fue un empujón, nada más');
  // Two minimising phrases here ("Solo fue...", "nada más"): the first is enough.
  const cue = panel.locator('.side-cues li[data-cue="minimisation"]').first();
  await cue.waitFor();
  const suggestion = cueResponses('es', 'minimisation', 'own_behaviour').find((r) => !r.includes('{quote}'));
  await cue.locator('.suggestions .suggestion-text', { hasText: suggestion }).waitFor();

  // The prepared responses are the Spanish ones, with the advisor's name filled in.
  const canned = panel.locator('.side-canned');
  await canned.locator('label', { hasText: 'Responses in Español' }).waitFor();
  await canned.locator('select.canned-select').selectOption({ label: 'Bienvenida' });
  await canned.locator('button', { hasText: 'Insert' }).click();
  const composer = panel.locator('textarea.composer-input');
  const welcome = contentText('canned/es.tsv', 'welcome', 2).replace('{advisor}', 'Sam');
  assert.equal(await composer.inputValue(), welcome);
  assert.ok(welcome.includes('Me llamo Sam.'));

  // Then the cue suggestion, appended where the cursor is.
  await cue.locator('.suggestions li', { hasText: suggestion }).locator('button').click();
  assert.equal(await composer.inputValue(), `${welcome} ${suggestion}`);

  // The advisor edits: drops the closing question of the welcome and adds a line of their own.
  const question = '¿De qué te gustaría hablar hoy? ';
  const value = await composer.inputValue();
  const at = value.indexOf(question);
  assert.ok(at > 0);
  await composer.evaluate((el, [from, to]) => { el.focus(); el.setSelectionRange(from, to); }, [at, at + question.length]);
  await page.keyboard.press('Delete');
  await composer.press('Control+End');
  await composer.pressSequentially(' Tómate tu tiempo.');
  const edited = `${welcome.slice(0, welcome.indexOf(question.trim()))}${suggestion} Tómate tu tiempo.`;
  assert.equal(await composer.inputValue(), edited);

  await composer.press('Enter');
  const heard = await visitor.heard(edited);
  assert.equal(heard.from, 'advisor');
  assert.equal(heard.name, 'Sam');
  await panel.locator('.transcript li.from-advisor .message-text', { hasText: 'Tómate tu tiempo.' }).waitFor();
  assert.equal(await composer.inputValue(), '', 'the message box is empty after sending');
  assertNoConsoleErrors(page);
});
