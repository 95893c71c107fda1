// Console: a risk flag reads as the category and its level in words with what the category
// means, and the visitor's words that raised it, quoted. The content rule behind it (file, line,
// pattern) is for an audit: not visible until "Why the system flagged this (rule)" is opened.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { Advisor } from '../lib/advisor.mjs';
import { openConsole, goAvailable, queueAndAccept, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

test('a flag shows its category, level, description and the quoted words; the rule only in the audit details', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {}, sue: { role: 'supervisor' } });
  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);
  const { visitor, id, panel } = await queueAndAccept(t, stack, page);
  const text = 'Last night I grabbed her by the throat.';
  const ack = await visitor.say(text);

  // What the server flagged (read over the protocol), and the taxonomy's words for it.
  const wire = await Advisor.login(stack, users.sue);
  t.cleanup(() => wire.close());
  const description = wire.info.taxonomy.categories.find((c) => c.id === 'strangulation').description;
  const joined = await wire.request({ type: 'join', conversation_id: id });
  const flag = joined.conversation.messages.find((m) => m.seq === ack.seq).flags.find((f) => f.category === 'strangulation');
  assert.ok(flag && flag.rule, 'the server flags strangulation with its rule');
  const words = (flag.evidence && flag.evidence.length ? flag.evidence : [flag])
    .map((e) => Buffer.from(text, 'utf8').subarray(e.start, e.end).toString('utf8'));

  for (const where of [panel.locator(`.transcript li[data-seq="${ack.seq}"] .flag-label[data-category="strangulation"]`),
    panel.locator('.risk-path li[data-category="strangulation"]')]) {
    await where.waitFor();
    const shown = await where.innerText();
    assert.match(shown, /Strangulation or choking, high/, `category and level in words: ${shown}`);
    assert.ok(shown.includes(description), `the category's description: ${shown}`);
    for (const w of words) assert.ok(shown.includes(`“${w}”`), `the visitor's words quoted ("${w}"): ${shown}`);
    assert.ok(!shown.includes(flag.rule), `the rule is not shown: ${shown}`);
    const audit = where.locator('details.audit');
    assert.equal(await audit.locator('summary').innerText(), 'Why the system flagged this (rule)');
    assert.equal(await audit.locator('code.rule').isVisible(), false, 'the rule is folded away');
    await audit.locator('summary').click();
    assert.equal(await audit.locator('code.rule').isVisible(), true);
    assert.ok((await where.innerText()).includes(flag.rule), 'opened, the audit shows the rule');
  }
  assertNoConsoleErrors(page);
});
