import { FIRST_SHOWN, MORE_SHOWN } from '../../src/renderer/src/features/conversation/timeline';
import { expect, rowOf, signIn, test, watchForProblems } from './agent-fixtures';

const SCREENSHOTS = 'test-results/screenshots';
const TOTAL = 900;
const MINUTE = 60_000;

test('a long conversation opens at its newest messages and shows every older one on the way up, keeping the place', async ({
  page,
  agentHub,
}) => {
  const problems = watchForProblems(page);
  const start = Date.now() - TOTAL * MINUTE;
  for (let i = 1; i <= TOTAL; i++) {
    await agentHub.current.ingestor.ingest({
      kind: 'message',
      channel: 'telegram',
      channelAccountId: 'bot-1',
      externalId: `tg.long.${i}`,
      customer: { externalId: 'long-talker', name: 'Lars Longwinded', phone: null },
      sentAt: start + i * MINUTE,
      content: { type: 'text', body: `Note number ${i} of ${TOTAL}` },
    });
  }
  await signIn(page, agentHub.url);
  await rowOf(page, 'Lars Longwinded').click();
  const list = page.getByTestId('message-list');
  const messages = list.getByTestId('message');
  await expect(messages.filter({ hasText: `Note number ${TOTAL} of` })).toBeVisible();

  // Scrolling to the top shows the older cached messages in steps (the list grows), and the
  // message that was at the top stays in view (the place is kept), down to the first one.
  const note = (n: number) => messages.filter({ hasText: `Note number ${n} of ${TOTAL}` });
  const height = () => list.evaluate((element) => element.scrollHeight);
  let before = await height();
  for (const oldest of [TOTAL - FIRST_SHOWN + 1, TOTAL - FIRST_SHOWN - MORE_SHOWN + 1]) {
    await list.evaluate((element) => element.scrollTo({ top: 0 }));
    await expect(note(oldest)).toBeInViewport();
    // Older messages were added above it, and it did not move away.
    await expect.poll(height).toBeGreaterThan(before + 100 * 20);
    await expect(note(oldest)).toBeInViewport();
    before = await height();
  }
  await list.evaluate((element) => element.scrollTo({ top: 0 }));
  await expect(note(1)).toBeInViewport();
  await expect(page.getByTestId('history-start')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/long-conversation-start.png` });
  // The DOM holds only what is on screen, whatever the length.
  expect(await messages.count()).toBeLessThan(80);
  expect(problems).toEqual([]);
});
