// Helpers for the Telegram tests: captured Bot API calls, update builders, and a client of the
// telegram-test-api emulator that waits for conditions instead of sleeping.
import { createServer } from 'node:net';
import type { Bot } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { z } from 'zod';

export const testToken = '123456:TEST-token_for-homeward';
export const botInfo: UserFromGetMe = {
  id: 123456,
  is_bot: true,
  first_name: 'Homeward',
  username: 'HomewardTestBot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

/** Records every Bot API call instead of sending it; `fail` makes one method answer an error. */
export function captureApi(bot: Bot) {
  const calls: ApiCall[] = [];
  const failures = new Map<string, { error_code: number; description: string }>();
  let messageId = 1000;
  bot.api.config.use(async (_prev, method, payload) => {
    const record: Record<string, unknown> = { ...payload };
    calls.push({ method, payload: record });
    const failure = failures.get(method);
    const result =
      method === 'sendMessage' ? { message_id: ++messageId, date: 0, chat: { id: Number(record.chat_id), type: 'private' }, text: String(record.text) } : true;
    const response = failure ? { ok: false, ...failure } : { ok: true, result };
    // A fake Bot API answers with plain JSON, as the real one does; grammY types it per method.
    return response as Awaited<ReturnType<typeof _prev>>;
  });
  return {
    calls,
    fail(method: string, error_code: number, description: string) {
      failures.set(method, { error_code, description });
    },
    sent(): { chatId: string; text: string; markup: unknown }[] {
      return calls
        .filter((call) => call.method === 'sendMessage')
        .map((call) => ({ chatId: String(call.payload.chat_id), text: String(call.payload.text), markup: call.payload.reply_markup }));
    },
    clear() {
      calls.length = 0;
    },
  };
}

let nextUpdateId = 1;
const user = (id: number, languageCode?: string) => ({ id, is_bot: false, first_name: 'Test', ...(languageCode ? { language_code: languageCode } : {}) });
const chat = (id: number, type: 'private' | 'group' | 'supergroup' | 'channel' = 'private') =>
  type === 'private' ? { id, type, first_name: 'Test' } : { id, type, title: 'A group' };

export function textUpdate(
  chatId: number,
  text: string,
  options: { languageCode?: string; chatType?: 'private' | 'group' | 'supergroup'; updateId?: number } = {},
): Update {
  return {
    update_id: options.updateId ?? nextUpdateId++,
    message: { message_id: nextUpdateId, date: 0, chat: chat(chatId, options.chatType), from: user(chatId, options.languageCode), text },
  } as Update;
}

export function callbackUpdate(chatId: number, data: string, options: { languageCode?: string; chatType?: 'private' | 'group' } = {}): Update {
  return {
    update_id: nextUpdateId++,
    callback_query: {
      id: `cb${nextUpdateId}`,
      chat_instance: 'x',
      from: user(chatId, options.languageCode),
      data,
      message: { message_id: 1, date: 0, chat: chat(chatId, options.chatType) },
    },
  } as Update;
}

/** Messages people send that are not text, as Telegram shapes them (only the distinguishing field). */
export const nonTextMessages = {
  photo: { photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }] },
  voice: { voice: { file_id: 'v', file_unique_id: 'v', duration: 3 } },
  sticker: { sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } },
  document: { document: { file_id: 'd', file_unique_id: 'd' } },
  location: { location: { latitude: 52.5, longitude: 13.4 } },
  contact: { contact: { phone_number: '+100', first_name: 'X' } },
} as const;

export function nonTextUpdate(chatId: number, kind: keyof typeof nonTextMessages, languageCode?: string): Update {
  return {
    update_id: nextUpdateId++,
    message: { message_id: nextUpdateId, date: 0, chat: chat(chatId), from: user(chatId, languageCode), ...nonTextMessages[kind] },
  } as Update;
}

export function editedUpdate(chatId: number, languageCode?: string): Update {
  return {
    update_id: nextUpdateId++,
    edited_message: { message_id: 1, date: 0, edit_date: 1, chat: chat(chatId), from: user(chatId, languageCode), text: 'changed' },
  } as Update;
}

export function channelPostUpdate(chatId: number): Update {
  return { update_id: nextUpdateId++, channel_post: { message_id: 1, date: 0, chat: { id: chatId, type: 'channel', title: 'News' }, text: 'hi' } } as Update;
}

/** Inline buttons of a reply markup, as [label, callback_data]. */
export function buttonsOf(markup: unknown): [string, string][] {
  const parsed = z.object({ inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string() }))) }).safeParse(markup);
  return parsed.success ? parsed.data.inline_keyboard.flat().map((button) => [button.text, button.callback_data]) : [];
}

export function replyKeyboardLabels(markup: unknown): string[] {
  const parsed = z.object({ keyboard: z.array(z.array(z.object({ text: z.string() }))) }).safeParse(markup);
  return parsed.success ? parsed.data.keyboard.flat().map((button) => button.text) : [];
}

/** Kept here for the tests that import it from the Telegram support. */
export { waitFor } from '../support/wait.js';

/** A free TCP port on 127.0.0.1 (the emulator treats port 0 as "use 9000"). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The bot's own membership in a chat changed (blocked, unblocked, added to a group). */
export function membershipUpdate(chatId: number, status: 'member' | 'kicked', chatType: 'private' | 'group' = 'private'): Update {
  const from = user(Math.abs(chatId), 'en');
  return {
    update_id: nextUpdateId++,
    my_chat_member: {
      chat: chat(chatId, chatType),
      from,
      date: 0,
      old_chat_member: { status: status === 'member' ? 'left' : 'member', user: { id: 123456, is_bot: true, first_name: 'Homeward' } },
      new_chat_member: { status, user: { id: 123456, is_bot: true, first_name: 'Homeward' }, ...(status === 'kicked' ? { until_date: 0 } : {}) },
    },
  } as Update;
}
