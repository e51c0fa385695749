/** The Direct Line 3.0 shapes the widget reads and writes, and the widget's own config endpoints. */

export type TextDirection = 'ltr' | 'rtl';

export interface ChannelAccount {
  id?: string;
  role?: string;
  name?: string;
}

export interface CardAction {
  type: string;
  title: string;
  displayText?: string;
  text?: string;
  value?: unknown;
}

export interface Activity {
  type: string;
  id?: string;
  from?: ChannelAccount;
  text?: string;
  locale?: string;
  name?: string;
  value?: unknown;
  channelData?: { key?: string; dir?: TextDirection; [extra: string]: unknown };
  suggestedActions?: { actions: CardAction[] };
}

export interface ActivitySet {
  activities: Activity[];
  watermark?: string;
}

export interface ConversationGrant {
  conversationId: string;
  token: string;
  expires_in?: number;
  streamUrl?: string;
  resume?: string;
}

export interface LanguageInfo {
  code: string;
  nativeName: string;
  dir: TextDirection;
  /** Machine or non-native translation, not reviewed yet: the picker marks it. */
  draft?: boolean;
}

export type LauncherPosition = 'left' | 'right';

/** `GET /v3/widget/config?key=`: an organisation's public look. */
export interface WidgetConfig {
  look: {
    colour: string;
    position: LauncherPosition;
    /** Per language; a missing language falls back to the widget texts' own title. */
    title: Record<string, string>;
    greeting: Record<string, string>;
  };
  defaultLanguage: string;
  languages: LanguageInfo[];
  /** False when the page's site is not among the organisation's allowed sites: the widget says so instead of connecting. */
  enabled?: boolean;
}

/** `GET /v3/widget/strings/{lng}`: flat `dotted.key -> text`, English filling any gap. */
export type WidgetStrings = Record<string, string>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keeps only what looks like an activity: a frame from the network is not trusted blindly. */
export function readActivitySet(value: unknown): ActivitySet | null {
  if (!isRecord(value) || !Array.isArray(value.activities)) return null;
  const activities = value.activities.filter((item): item is Activity => isRecord(item) && typeof item.type === 'string');
  const watermark = value.watermark;
  return { activities, ...(typeof watermark === 'string' || typeof watermark === 'number' ? { watermark: String(watermark) } : {}) };
}

export function readGrant(value: unknown): ConversationGrant | null {
  if (!isRecord(value) || typeof value.conversationId !== 'string' || typeof value.token !== 'string') return null;
  return {
    conversationId: value.conversationId,
    token: value.token,
    ...(typeof value.expires_in === 'number' ? { expires_in: value.expires_in } : {}),
    ...(typeof value.streamUrl === 'string' ? { streamUrl: value.streamUrl } : {}),
    ...(typeof value.resume === 'string' ? { resume: value.resume } : {}),
  };
}

export function suggestedActionsOf(activity: Activity): CardAction[] {
  const actions = activity.suggestedActions?.actions;
  return Array.isArray(actions) ? actions.filter((action) => isRecord(action) && typeof action.title === 'string') : [];
}
