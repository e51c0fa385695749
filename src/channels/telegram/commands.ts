import type { Api } from 'grammy';
import type { LanguageCode } from 'grammy/types';
import type { Logger } from 'pino';
import type { Localisation } from '../../i18n/index.js';
import { commandNames } from './update.js';
import { loggableError } from './log-error.js';

/**
 * Sets the command menu in every shipped language, and the base language's as the default for
 * everyone else. A refusal is logged and skipped: the menu is a convenience, the commands work
 * typed without it.
 */
export async function registerCommands(api: Api, localisation: Localisation, logger: Logger): Promise<void> {
  const base = localisation.locales[0]?.code ?? 'en';
  const targets: (LanguageCode | undefined)[] = [undefined];
  for (const { code } of localisation.locales) {
    if (isLanguageCode(code)) targets.push(code);
    // Telegram menus are per two-letter ISO 639-1 code; others get the default menu.
    else logger.info({ languageCode: code }, 'telegram: no command menu of its own for a language without an ISO 639-1 code');
  }
  for (const languageCode of targets) {
    const t = localisation.translatorFor(languageCode ?? base);
    const commands = commandNames.map((name) => ({ command: name, description: t(`telegram:commands.${name}`) }));
    try {
      await api.setMyCommands(commands, languageCode ? { language_code: languageCode } : {});
    } catch (error) {
      logger.warn(
        { error: loggableError(error), languageCode: languageCode ?? '(default)' },
        'telegram: setting the command menu failed; commands still work typed',
      );
    }
  }
}

/** The shape of an ISO 639-1 code; Telegram refuses a code it does not know, which is logged. */
function isLanguageCode(code: string): code is LanguageCode {
  return /^[a-z]{2}$/.test(code);
}
