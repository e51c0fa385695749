// The telegram-test-api emulator on 127.0.0.1, driven over its HTTP client API.
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { z } from 'zod';
import { freePort } from './support.js';

const botMessageSchema = z.object({
  botToken: z.string(),
  messageId: z.number(),
  message: z.object({ chat_id: z.union([z.string(), z.number()]), text: z.string(), parse_mode: z.string().optional(), reply_markup: z.unknown().optional() }),
});
const historySchema = z.object({ ok: z.literal(true), result: z.array(z.unknown()) });

export interface BotMessage {
  messageId: number;
  text: string;
  parseMode: string | undefined;
  markup: unknown;
}

export interface Emulator {
  apiRoot: string;
  server: TelegramServer;
  /** Webhooks the bot registered, as the emulator received them. */
  webhooks: { token: string; body: Record<string, unknown> }[];
  stop(): Promise<void>;
  client(token: string, chatId: number, languageCode?: string): EmulatedClient;
}

export interface EmulatedClient {
  chatId: number;
  send(text: string): Promise<void>;
  command(text: string): Promise<void>;
  tap(data: string, messageId: number): Promise<void>;
  /** Every message the bot sent to this chat, oldest first. */
  received(): Promise<BotMessage[]>;
}

export async function startEmulator(): Promise<Emulator> {
  const port = await freePort();
  // Messages are kept ten minutes (the default minute can be too short on a slow machine).
  const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });
  const webhooks: Emulator['webhooks'] = [];
  const register = server.setWebhook.bind(server);
  server.setWebhook = (webhook, token) => {
    webhooks.push({ token, body: { ...webhook } });
    register(webhook, token);
  };
  await server.start();
  const apiRoot = server.config.apiURL;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${apiRoot}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`emulator ${path}: ${response.status}`);
    return (await response.json()) as unknown;
  };
  return {
    apiRoot,
    server,
    webhooks,
    stop: async () => {
      await server.stop();
    },
    client(token, chatId, languageCode) {
      const from = { id: chatId, is_bot: false, first_name: 'Test', ...(languageCode ? { language_code: languageCode } : {}) };
      const chat = { id: chatId, type: 'private', first_name: 'Test' };
      const meta = () => ({ botToken: token, date: Math.floor(Date.now() / 1000) });
      return {
        chatId,
        send: async (text) => {
          await post('/sendMessage', { ...meta(), from, chat, text });
        },
        command: async (text) => {
          const length = text.includes(' ') ? text.indexOf(' ') : text.length;
          await post('/sendCommand', { ...meta(), from, chat, text, entities: [{ type: 'bot_command', offset: 0, length }] });
        },
        tap: async (data, messageId) => {
          await post('/sendCallback', { ...meta(), from, data, message: { message_id: messageId, chat, from: { id: 666, is_bot: true, first_name: 'Bot' } } });
        },
        received: async () => {
          const history = historySchema.parse(await post('/getUpdatesHistory', { token }));
          return history.result
            .flatMap((entry) => {
              const parsed = botMessageSchema.safeParse(entry);
              return parsed.success && String(parsed.data.message.chat_id) === String(chatId) ? [parsed.data] : [];
            })
            .sort((a, b) => a.messageId - b.messageId)
            .map((entry) => ({
              messageId: entry.messageId,
              text: entry.message.text,
              parseMode: entry.message.parse_mode,
              markup: entry.message.reply_markup,
            }));
        },
      };
    },
  };
}
