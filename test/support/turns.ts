import { pino } from 'pino';
import { TurnProcessor, type InboundTurn } from '../../src/conversation/turn-processor.js';
import type { EngineContext, InboundEvent } from '../../src/engine/types.js';
import type { Database } from '../../src/store/client.js';
import { createConversationRepository } from '../../src/store/repositories/conversations.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A turn processor over a real database, as one server instance would have it. */
export function turnProcessorFor(db: Database, engine: EngineContext): TurnProcessor {
  const organisations = createOrganisationRepository(db.prisma);
  return new TurnProcessor({
    conversations: createConversationRepository(db.prisma),
    engine,
    chooseLocale: (preferences, fallback) => preferences.find((lng) => engine.locales.some((info) => info.code === lng)) ?? fallback,
    defaultLocaleOf: async (id) => (await organisations.findById(id))?.defaultLocale ?? 'en',
    logger: silentLogger,
  });
}

export function webTurn(organisationId: string, channelRef: string, event: InboundEvent | string, preferredLocales: string[] = ['en']): InboundTurn {
  return {
    organisationId,
    channel: 'web',
    channelRef,
    preferredLocales,
    event: typeof event === 'string' ? { type: 'text', text: event } : event,
  };
}
