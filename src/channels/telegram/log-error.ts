import { BotError, GrammyError, HttpError } from 'grammy';

/**
 * An error as it may be logged. grammY's errors carry what was sent (`GrammyError.payload`: the
 * message text, the webhook secret) and the whole update (`BotError.ctx`); a logger would copy
 * those enumerable fields, so only their safe parts are kept.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (error instanceof BotError) return { type: 'BotError', updateId: error.ctx.update.update_id, cause: loggableError(error.error) };
  if (error instanceof GrammyError) return { type: 'GrammyError', method: error.method, code: error.error_code, description: error.description };
  if (error instanceof HttpError) return { type: 'HttpError', message: error.message, cause: loggableError(error.error) };
  if (error instanceof Error) return { type: error.name, message: error.message, stack: error.stack };
  return { type: typeof error };
}
