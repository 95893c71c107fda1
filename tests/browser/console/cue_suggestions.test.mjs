// Suggested responses fit who is writing: a professional relaying a client's words gets lines
// for professionals, not lines addressed to the person using abuse; one entry per cue however
// often it fired; quotations are the visitor's actual words; no suggestion assumes a gender.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { Visitor, openConsole, goAvailable, acceptOffer, conversationPanel, stackWithUsers } from '../lib/console.mjs';
import { cueResponses } from '../lib/content.mjs';

async function chat(t, callerType) {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);
  const visitor = await Visitor.connect(stack);
  t.cleanup(() => visitor.close());
  await visitor.startAndQueue({ callerType });
  await acceptOffer(page, visitor.conversationId);
  await visitor.next('advisor_joined');
  return { page, visitor, panel: conversationPanel(page, visitor.conversationId) };
}

const shownSuggestions = (panel, cue) => panel.locator(`.side-cues li[data-cue="${cue}"] .suggestion-text`).allTextContents();

test('a professional gets suggestions for professionals, once per cue, quoting the client\'s words', async (t) => {
  const { panel, visitor } = await chat(t, 'professional');
  await visitor.say('My client says it was just a push.');
  await visitor.say('He keeps saying it was just a shove, nothing really.');
  const entry = panel.locator('.side-cues li[data-cue="minimisation"]');
  await entry.locator('.suggestion-text').first().waitFor();
  assert.equal(await entry.count(), 1, 'one entry for the cue, however often it fired');
  assert.match(await entry.locator('.cue-where').textContent(), /#\d+.*; .*#\d+/, 'every place it fired is listed');

  const shown = await shownSuggestions(panel, 'minimisation');
  assert.equal(new Set(shown).size, shown.length, 'no suggestion twice');
  const forProfessionals = cueResponses('en', 'minimisation', 'professional');
  const forOwnOnly = cueResponses('en', 'minimisation', 'own_behaviour').filter((r) => !forProfessionals.includes(r));
  assert.ok(shown.length > 0);
  for (const s of shown) {
    assert.ok(forProfessionals.some((r) => r === s || (r.includes('{quote}') && s.startsWith(r.split('{quote}')[0]))), `a line for professionals: ${s}`);
    assert.ok(!forOwnOnly.includes(s), `not a line addressed to the person using abuse: ${s}`);
    assert.doesNotMatch(` ${s} `, /[^\w](she|her|he|him|his)[^\w]/i, `no assumed gender: ${s}`);
  }
  // A quotation is the visitor's own words from the latest message that showed the cue.
  const quoting = forProfessionals.find((r) => r.includes('{quote}'));
  if (quoting) {
    const quoted = shown.find((s) => s.startsWith(quoting.split('{quote}')[0]));
    assert.ok(quoted, 'the quoting suggestion is offered');
    const words = quoted.slice(quoting.split('{quote}')[0].length, quoted.length - quoting.split('{quote}')[1].length);
    assert.ok('He keeps saying it was just a shove, nothing really.'.toLowerCase().includes(words.toLowerCase()), `quotes the visitor: "${words}"`);
  }
});

test('someone worried about their own behaviour gets lines addressed to them, without assuming their partner is a woman', async (t) => {
  const { panel, visitor } = await chat(t, 'own_behaviour');
  await visitor.say('It was only a slap, she winds me up');
  await panel.locator('.side-cues li[data-cue="minimisation"] .suggestion-text').first().waitFor();
  const shown = await shownSuggestions(panel, 'minimisation');
  const mine = cueResponses('en', 'minimisation', 'own_behaviour');
  for (const s of shown) {
    assert.ok(mine.some((r) => r === s || (r.includes('{quote}') && s.startsWith(r.split('{quote}')[0]))), s);
    assert.doesNotMatch(` ${s} `, /[^\w](she|her|he|him|his)[^\w]/i, s);
  }
});
