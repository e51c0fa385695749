import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { HttpError } from '../../../http/errors.js';
import type { ConversationRepository, StoredConversation } from '../../../store/repositories/conversations.js';
import type { OrganisationRecord, OrganisationRepository } from '../../../store/repositories/organisations.js';
import type { OriginPolicy } from '../origins.js';
import { looksLikeToken, type TokenClaims, type TokenService } from '../tokens.js';

/** Who is calling: an organisation's widget key (the Direct Line secret) or a token for one conversation. */
export type Caller = { via: 'key'; organisation: OrganisationRecord } | { via: 'token'; organisation: OrganisationRecord; claims: TokenClaims };

export const authHeadersSchema = z.object({
  authorization: z
    .string({ error: 'missing Authorization: Bearer <token or widget key>' })
    .regex(/^Bearer [\x21-\x7e]{1,4096}$/i, 'Authorization must be "Bearer <token or widget key>"')
    .transform((value) => value.slice('Bearer '.length)),
  origin: z.string().max(2048).optional(),
});

export interface Authoriser {
  /** Checks the credential and the Origin; throws HttpError 401/403 when either is refused. */
  caller(headers: IncomingHttpHeaders): Promise<Caller>;
  /** As `caller`, for a credential that arrived elsewhere than a header (the stream's `t`). */
  callerFromCredential(credential: string, origin: string | undefined): Promise<Caller>;
  /**
   * The conversation `conversationId`, for its own token only: 403 for the widget key (public, in
   * every page that embeds the widget: it opens new conversations and nothing else) and for another
   * conversation's token, 404 when unknown. A person who comes back trades their resume ticket for
   * a token first (`POST /tokens/generate` with `resume`).
   */
  conversation(caller: Caller, conversationId: string): Promise<StoredConversation>;
}

export function createAuthoriser(deps: {
  organisations: OrganisationRepository;
  conversations: ConversationRepository;
  tokens: TokenService;
  origins: OriginPolicy;
}): Authoriser {
  const callerFromCredential = async (credential: string, origin: string | undefined): Promise<Caller> => {
    let caller: Caller;
    if (looksLikeToken(credential)) {
      const verified = deps.tokens.verify(credential, 'token');
      if (verified.status === 'fail') throw new HttpError(403, verified.reason === 'expired' ? 'token expired' : 'invalid token');
      const organisation = await deps.organisations.findById(verified.claims.organisationId);
      if (!organisation) throw new HttpError(403, 'invalid token');
      caller = { via: 'token', organisation, claims: verified.claims };
    } else {
      const organisation = credential.length <= 200 ? await deps.organisations.findByWidgetKey(credential) : null;
      if (!organisation) throw new HttpError(403, 'unknown widget key');
      caller = { via: 'key', organisation };
    }
    // Browsers always send Origin cross-origin; servers and native apps send none and are not a page to restrict.
    if (origin !== undefined && !deps.origins.allows(origin, caller.organisation)) {
      throw new HttpError(403, 'this origin may not use the widget key');
    }
    return caller;
  };

  return {
    async caller(headers) {
      const parsed = authHeadersSchema.safeParse(headers);
      if (!parsed.success) {
        const missing = headers.authorization === undefined;
        throw new HttpError(missing ? 401 : 403, parsed.error.issues[0]?.message ?? 'invalid credentials');
      }
      return callerFromCredential(parsed.data.authorization, parsed.data.origin);
    },
    callerFromCredential,
    async conversation(caller, conversationId) {
      if (caller.via !== 'token') throw new HttpError(403, "this route needs the conversation's token: the widget key only opens new conversations");
      if (caller.claims.conversationId !== conversationId) throw new HttpError(403, 'the token is for another conversation');
      const conversation = await deps.conversations.findByChannelRef('web', conversationId);
      if (!conversation || conversation.organisationId !== caller.organisation.id) throw new HttpError(404, 'conversation not found');
      return conversation;
    },
  };
}
