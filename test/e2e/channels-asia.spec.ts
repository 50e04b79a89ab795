import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import type { RunningHub } from '../../src/server/hub';
import { startFakeKakaoDealer, type FakeKakaoDealer } from '../support/fake-kakao-dealer';
import { startFakeWechatApi, type FakeWechatApi } from '../support/fake-wechat-api';
import { startTestHub } from '../support/hub';
import {
  dealerDelivery,
  dealerMessage,
  KAKAO,
  kakaoSettings,
  sessionEvent,
  type SignedKakao,
} from '../support/kakao-webhooks';
import { signedPush, textPush, WECHAT, wechatSettings } from '../support/wechat-webhooks';
import { signIn } from './agent-fixtures';

/**
 * Issue #16's "Must show" in the app, for the channels of Asia: a WeChat conversation whose
 * countdown shows both the time left and the customer-service messages left ("… · 3 of 5
 * left"), replies going through the real connector to the local fake of WeChat's API until the
 * fifth, after which the composer is closed with WeChat's reason. And a KakaoTalk consultation
 * talk through the dealer's webhook: a Korean customer, a reply through the dealer's API, and the
 * session the customer ended closing the composer with that reason.
 *
 * The hub runs on the real clock: the customer writes "just now".
 */

const SHOTS = 'test-results/screenshots/channels-asia';

interface Asia {
  readonly hub: RunningHub;
  readonly wechat: FakeWechatApi;
  readonly kakao: FakeKakaoDealer;
}

const test = base.extend<object, { asia: Asia }>({
  asia: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const wechat = await startFakeWechatApi({
        appId: WECHAT.appId,
        appSecret: WECHAT.appSecret,
      });
      const kakao = await startFakeKakaoDealer({
        clientId: 'ht-client-replydesk',
        clientSecret: 'ht-secret-3f9c2a7d51e04b88',
      });
      const hub = await startTestHub({
        rendererDir: path.resolve('out/renderer'),
        sendTimeoutMs: 5000,
        channels: { wechat: wechatSettings(wechat.url), kakao: kakaoSettings(kakao.url) },
      });
      await mkdir(SHOTS, { recursive: true });
      await use({ hub, wechat, kakao });
      await hub.close();
      await wechat.close();
      await kakao.close();
    },
    { scope: 'worker' },
  ],
});
test.describe.configure({ timeout: 60_000 });

async function wechatPush(hub: RunningHub, xml: string): Promise<void> {
  const push = signedPush(xml, { mode: 'safe' });
  const res = await fetch(`${hub.url}/webhooks/wechat${push.query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: push.body,
  });
  expect([res.status, await res.text()]).toEqual([200, 'success']);
}

async function kakaoDelivery(hub: RunningHub, signed: SignedKakao): Promise<void> {
  const res = await fetch(`${hub.url}/webhooks/kakao`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
}

const rowOf = (page: Page, channel: string): Locator =>
  page.locator(`[data-testid="conversation-row"][data-channel="${channel}"]`);

/** Light and dark, at the size the page has. */
async function shots(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.screenshot({ path: `${SHOTS}/${name}-dark.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
}

async function reply(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-send').click();
  const sent = page.getByTestId('message').filter({ hasText: text });
  await expect(sent).toHaveAttribute('data-status', 'sent', { timeout: 15_000 });
}

const OPENID = 'oLiWei_7Kq2mX9pZ4wT1cB8vN0A3';

test('a WeChat conversation counts down 48 h and 5 messages; the sixth is not offered', async ({
  page,
  asia: { hub, wechat },
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const now = Math.floor(Date.now() / 1000);
  await wechatPush(
    hub,
    textPush(OPENID, now - 60, '24635009111230001', '你好，我的订单 #1042 什么时候发货？'),
  );

  await signIn(page, hub.url);
  const row = rowOf(page, 'wechat');
  await expect(row).toHaveCount(1);
  // 48 h less the minute since the customer wrote, and all 5 messages.
  await expect(row.getByTestId('window-timer')).toHaveText(/^1d 23h · 5 of 5 left$/);
  await row.click();
  await reply(page, '您好！订单 #1042 今天已发货，快递单号稍后发给您。');
  await reply(page, 'Tracking: SF1234567890, expected on Friday.');
  await expect(row.getByTestId('window-timer')).toHaveText(/^1d 23h · 3 of 5 left$/);
  await expect(page.getByTestId('conversation-header')).toContainText('3 messages left');
  await shots(page, 'wechat-3-of-5');

  await reply(page, 'Is there anything else I can help with?');
  await reply(page, 'You can also reply here any time.');
  await reply(page, 'Have a nice day!');
  // Five sent: WeChat allows no sixth until the customer writes again.
  await expect(row.getByTestId('window-timer')).toHaveText('5 of 5 sent');
  await expect(page.getByTestId('composer-input')).toBeDisabled();
  await expect(page.getByTestId('conversation-header')).toContainText(
    'Nothing until the customer writes',
  );
  await expect(page.getByTestId('composer')).toContainText(
    'WeChat allows at most 5 customer-service messages per customer message; wait for the customer to write again',
  );
  expect(wechat.sent.map((m) => [m.touser, m.msgtype])).toEqual(
    Array.from({ length: 5 }, () => [OPENID, 'text']),
  );
  await shots(page, 'wechat-used-up');
});

test('a KakaoTalk consultation talk: a Korean customer, a reply through the dealer, the session ended', async ({
  page,
  asia: { hub, kakao },
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const now = Date.now();
  const user = 'kU9x2LmQ7pR4'; // a dealer's user_key (at most 20 characters)
  await kakaoDelivery(
    hub,
    dealerDelivery(sessionEvent('session_start', user, now - 120_000, 's-77')),
  );
  await kakaoDelivery(
    hub,
    dealerDelivery(
      dealerMessage(
        'k-serial-1',
        user,
        now - 60_000,
        'TX',
        '주문한 신발이 아직 안 왔어요. 주문번호 #2041이에요.',
        {
          nickname: '김민지',
        },
      ),
    ),
  );

  await signIn(page, hub.url);
  const row = rowOf(page, 'kakao');
  await expect(row.getByTestId('customer-name')).toHaveText('김민지');
  // The consultation session stays open 30 days after the customer's last message.
  await expect(row.getByTestId('window-timer')).toHaveText(/^29d 23h$/);
  await row.click();
  await reply(page, '안녕하세요, 김민지 고객님. 주문 #2041은 오늘 출고되었습니다.');
  expect(kakao.sent).toEqual([
    expect.objectContaining({
      user_key: user,
      message_type: 'TX',
      message: '안녕하세요, 김민지 고객님. 주문 #2041은 오늘 출고되었습니다.',
    }),
  ]);
  await shots(page, 'kakao-conversation');

  // The customer leaves the chat: the session is over and nothing more can be sent.
  await kakaoDelivery(
    hub,
    dealerDelivery(sessionEvent('session_end', user, Date.now(), 's-77', 'user_exit')),
  );
  await expect(page.getByTestId('composer-input')).toBeDisabled();
  await expect(row.getByTestId('window-timer')).toHaveText('session ended');
  await expect(page.getByTestId('window-countdown')).toContainText('Session ended');
  await expect(page.getByTestId('composer-input')).toHaveAttribute(
    'placeholder',
    'The session with 김민지 has ended',
  );
  await shots(page, 'kakao-session-ended');
});

test('the agent ends a KakaoTalk chat session from the header, after confirming it', async ({
  page,
  asia: { hub, kakao },
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const user = 'kE5n8RtW2zQ1';
  await kakaoDelivery(
    hub,
    dealerDelivery(
      dealerMessage('k-serial-2', user, Date.now() - 60_000, 'TX', '교환 신청은 어떻게 하나요?', {
        nickname: '이준호',
      }),
    ),
  );
  await signIn(page, hub.url);
  const row = rowOf(page, 'kakao').filter({ hasText: '이준호' });
  await row.click();
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  await page.getByTestId('end-session').click();
  const confirm = page.getByTestId('end-session-confirm');
  await expect(confirm).toContainText('End the KakaoTalk chat session with 이준호?');
  await shots(page, 'kakao-end-session-confirm');
  await confirm.getByRole('button', { name: 'End session' }).click();
  await expect(page.getByTestId('composer-input')).toBeDisabled();
  await expect(page.getByTestId('window-countdown')).toContainText('Session ended');
  await expect(page.getByTestId('end-session')).toHaveCount(0);
  expect(kakao.requests.filter((r) => r.path === '/v1/chat/end').map((r) => r.body)).toEqual([
    { user_key: user, sender_key: KAKAO.senderKey },
  ]);
  await shots(page, 'kakao-session-ended-by-agent');
});
