import type { Update } from 'grammy/types';
import { z } from 'zod';
import { inboundEventSchema, maxInboundTextLength } from '../../conversation/inbound.js';
import type { InboundEvent } from '../../engine/types.js';
import { decodeButton } from './callback-data.js';
import { slashCommands, type SlashCommand } from '../../engine/intents.js';

// Only the fields the adapter reads; everything else in an update is ignored (and stripped).
const userSchema = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  language_code: z.string().min(2).max(35).optional(),
});
const chatSchema = z.object({
  id: z.number().int(),
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
});
const messageSchema = z.object({
  message_id: z.number().int().optional(),
  chat: chatSchema,
  from: userSchema.optional(),
  text: z.string().optional(),
});
const callbackQuerySchema = z.object({
  id: z.string().min(1),
  from: userSchema,
  data: z.string().optional(),
  message: z.object({ message_id: z.number().int().optional(), chat: chatSchema }).optional(),
});

const chatMemberUpdateSchema = z.object({
  chat: chatSchema,
  from: userSchema,
  new_chat_member: z.object({ status: z.string() }),
});

export const updateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: messageSchema.optional(),
  edited_message: messageSchema.optional(),
  channel_post: messageSchema.optional(),
  edited_channel_post: messageSchema.optional(),
  callback_query: callbackQuerySchema.optional(),
  my_chat_member: chatMemberUpdateSchema.optional(),
});
export type ParsedUpdate = z.infer<typeof updateSchema>;

/** Narrows an HTTP body to a grammY `Update` once it passed the schema of the fields the bot reads. */
export function isTelegramUpdate(value: unknown): value is Update {
  return updateSchema.safeParse(value).success;
}

/** Bot commands: `/start` (handled apart: it carries a payload), then the slash commands every channel knows. */
export type CommandName = 'start' | SlashCommand;
export const commandNames: readonly CommandName[] = ['start', ...(Object.keys(slashCommands) as SlashCommand[])];

const startPayloadSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

interface Sender {
  chatId: number;
  languageCode?: string;
}

/** What one update asks of the bot, decided from its shape alone. */
export type TelegramInput =
  | (Sender & { kind: 'turn'; event: InboundEvent; startPayload?: string; callbackQueryId?: string; messageId?: number })
  | (Sender & { kind: 'too_long' })
  | (Sender & { kind: 'unsupported'; what: 'media' | 'edited' })
  | (Sender & { kind: 'group'; callbackQueryId?: string })
  /** The person blocked (or unblocked) the bot in their private chat. */
  | (Sender & { kind: 'reachability'; reachable: boolean })
  | { kind: 'ignore'; reason: string; callbackQueryId?: string };

export interface ClassifyOptions {
  /** The bot's username, so `/help@ThisBot` is recognised and `/help@OtherBot` is not ours. */
  botUsername: string;
  /** Texts of the reply keyboard's button, in every language: a tap on it asks for a person. */
  handoffLabels: ReadonlySet<string>;
}

/**
 * Turns a validated update into what the bot should do. Pure: no I/O, so every kind of update is
 * covered by small tests.
 */
export function classifyUpdate(update: ParsedUpdate, options: ClassifyOptions): TelegramInput {
  if (update.callback_query) return classifyCallback(update.callback_query);
  if (update.message) return classifyMessage(update.message, options);
  if (update.edited_message) {
    const { chat, from } = update.edited_message;
    if (chat.type !== 'private') return { kind: 'ignore', reason: 'edited message outside a private chat' };
    return { kind: 'unsupported', what: 'edited', ...sender(chat.id, from) };
  }
  if (update.channel_post || update.edited_channel_post) return { kind: 'ignore', reason: 'channel post' };
  if (update.my_chat_member) return classifyMembership(update.my_chat_member);
  return { kind: 'ignore', reason: 'update kind not handled' };
}

function classifyMembership(change: z.infer<typeof chatMemberUpdateSchema>): TelegramInput {
  const { chat, from, new_chat_member: member } = change;
  const present = member.status === 'member' || member.status === 'administrator';
  if (chat.type === 'private') return { kind: 'reachability', reachable: present, ...sender(chat.id, from) };
  // Added to a group: say at once that it works in private chats only.
  if (chat.type !== 'channel' && present) return { kind: 'group', ...sender(chat.id, from) };
  return { kind: 'ignore', reason: 'membership change' };
}

function classifyCallback(query: z.infer<typeof callbackQuerySchema>): TelegramInput {
  const chat = query.message?.chat;
  if (!chat) return { kind: 'ignore', reason: 'button without its message', callbackQueryId: query.id };
  const from = sender(chat.id, query.from);
  if (chat.type !== 'private') return { kind: 'group', callbackQueryId: query.id, ...from };
  // A button the bot cannot read (an older bot version, forged data) counts as an old question's
  // button: the engine says so and repeats the current question.
  const button = (query.data !== undefined ? decodeButton(query.data) : undefined) ?? { value: '?', node: '' };
  const event = inboundEventSchema.parse({ type: 'choice', value: button.value, ...(button.node !== undefined ? { node: button.node } : {}) });
  return { kind: 'turn', event, callbackQueryId: query.id, ...from };
}

function classifyMessage(message: z.infer<typeof messageSchema>, options: ClassifyOptions): TelegramInput {
  const { chat, from } = message;
  if (chat.type === 'channel') return { kind: 'ignore', reason: 'channel message' };
  if (from?.is_bot) return { kind: 'ignore', reason: 'message from a bot' };
  const who = sender(chat.id, from);
  if (chat.type !== 'private') return { kind: 'group', ...who };
  const messageId = message.message_id !== undefined ? { messageId: message.message_id } : {};
  if (message.text === undefined) return { kind: 'unsupported', what: 'media', ...who };
  const text = message.text.trim();
  if (!text) return { kind: 'ignore', reason: 'empty text' };

  const command = parseCommand(text, options.botUsername);
  if (command === 'not_ours') return { kind: 'ignore', reason: 'command for another bot' };
  if (command?.name === 'start') {
    const payload = startPayloadSchema.safeParse(command.argument);
    return { kind: 'turn', event: { type: 'start' }, ...(payload.success ? { startPayload: payload.data } : {}), ...who, ...messageId };
  }
  if (command) return { kind: 'turn', event: { type: 'intent', intent: slashCommands[command.name] }, ...who, ...messageId };
  if (options.handoffLabels.has(text)) return { kind: 'turn', event: { type: 'intent', intent: 'handoff' }, ...who, ...messageId };
  if (text.length > maxInboundTextLength) return { kind: 'too_long', ...who };
  return { kind: 'turn', event: inboundEventSchema.parse({ type: 'text', text }), ...who, ...messageId };
}

type ParsedCommand = { name: CommandName; argument: string } | 'not_ours' | undefined;

function parseCommand(text: string, botUsername: string): ParsedCommand {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/.exec(text);
  if (!match) return undefined;
  const [, rawName = '', mention, argument = ''] = match;
  if (mention !== undefined && mention.toLowerCase() !== botUsername.toLowerCase()) return 'not_ours';
  const name = rawName.toLowerCase();
  const known = commandNames.find((candidate) => candidate === name);
  // Unknown commands go to the engine as text: it answers with its usual help.
  return known ? { name: known, argument: argument.trim() } : undefined;
}

function sender(chatId: number, from: z.infer<typeof userSchema> | undefined): Sender {
  return { chatId, ...(from?.language_code ? { languageCode: from.language_code } : {}) };
}
