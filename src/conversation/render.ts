import type { LocaleInfo, OutboundMessage, Translate } from '../engine/types.js';

export interface RenderedChoice {
  value: string;
  label: string;
}

/** A bot message in the words a person reads, still carrying its key for later re-rendering. */
export interface RenderedMessage {
  key: string;
  params?: Record<string, unknown>;
  text: string;
  choices: RenderedChoice[];
  node?: string;
}

export function renderMessage(message: OutboundMessage, t: Translate): RenderedMessage {
  return {
    key: message.key,
    ...(message.params ? { params: message.params } : {}),
    text: t(message.key, message.params),
    choices: (message.choices ?? []).map((choice) => ({
      value: choice.value,
      label: 'literal' in choice.label ? choice.label.literal : t(choice.label.key, choice.label.params),
    })),
    ...(message.node ? { node: message.node } : {}),
  };
}

export function textDirection(locale: string, locales: readonly LocaleInfo[]): 'ltr' | 'rtl' {
  return locales.find((info) => info.code === locale)?.dir ?? 'ltr';
}
