import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import type { RenderedChoice } from '../../conversation/render.js';
import { encodeButton } from './callback-data.js';

/** Labels up to this length share a row two by two; longer ones get a row of their own. */
const shortLabel = 18;

/** Choices as inline buttons; `undefined` when none could be encoded. */
export function inlineKeyboard(choices: readonly RenderedChoice[], node: string | undefined): InlineKeyboardMarkup | undefined {
  const buttons = choices.flatMap((choice) => {
    const data = encodeButton({ value: choice.value, ...(node !== undefined ? { node } : {}) });
    return data === undefined ? [] : [{ text: choice.label, callback_data: data }];
  });
  if (buttons.length === 0) return undefined;
  const rows: (typeof buttons)[] = [];
  for (const button of buttons) {
    const last = rows.at(-1);
    const pairable = button.text.length <= shortLabel && last?.length === 1 && (last[0]?.text.length ?? Infinity) <= shortLabel;
    if (last && pairable) last.push(button);
    else rows.push([button]);
  }
  return { inline_keyboard: rows };
}

/** No keyboard under the text field: while a counsellor owns the chat, "talk to a person" would only confuse. */
export function removeKeyboard(): ReplyKeyboardRemove {
  return { remove_keyboard: true };
}

/** The keyboard under the text field that keeps "talk to a person" one tap away. */
export function talkToPersonKeyboard(label: string): ReplyKeyboardMarkup {
  return { keyboard: [[{ text: label }]], resize_keyboard: true, is_persistent: true };
}
