import type { Logger } from '@platform/common';
import { z } from '@platform/common';
import type { ChannelName } from '../notification';
import { CHANNEL_NAMES } from '../notification';
import { FailingChannel } from './failing-channel';
import { LoggingChannel } from './logging-channel';
import type { ChannelSet, NotificationChannel } from './notification-channel';

/**
 * Implementations a channel name can be bound to. `failing` is for failure drills in test environments;
 * real providers (SMTP, SMS gateway, push service) join this list when the platform has accounts for them.
 */
export const CHANNEL_KINDS = ['logging', 'failing'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export type ChannelSelection = Readonly<Record<ChannelName, ChannelKind>>;

export const DEFAULT_CHANNEL_SELECTION: ChannelSelection = {
  email: 'logging',
  sms: 'logging',
  push: 'logging',
};

const ALLOWED = `a comma list of channel=kind with channel ${CHANNEL_NAMES.join('|')} and kind ${CHANNEL_KINDS.join('|')}, e.g. "email=logging,sms=logging"`;

const isChannel = (name: string): name is ChannelName => (CHANNEL_NAMES as readonly string[]).includes(name);
const isKind = (name: string): name is ChannelKind => (CHANNEL_KINDS as readonly string[]).includes(name);

/** Parses `email=logging,sms=failing`; channels not named keep `logging`. Returns the problem otherwise. */
export function parseChannelSelection(
  raw: string,
): { ok: true; selection: ChannelSelection } | { ok: false; problem: string } {
  const selection: Record<ChannelName, ChannelKind> = { ...DEFAULT_CHANNEL_SELECTION };
  const seen = new Set<string>();
  for (const part of raw.split(',').map((p) => p.trim())) {
    const [channel = '', kind, ...rest] = part.split('=').map((p) => p.trim());
    if (kind === undefined || rest.length > 0) return { ok: false, problem: `"${part}" is not channel=kind` };
    if (!isChannel(channel)) return { ok: false, problem: `"${channel}" is not a channel` };
    if (!isKind(kind)) return { ok: false, problem: `"${kind}" is not a channel kind` };
    if (seen.has(channel)) return { ok: false, problem: `${channel} is given twice` };
    seen.add(channel);
    selection[channel] = kind;
  }
  return { ok: true, selection };
}

/** NOTIFICATION_CHANNELS for loadConfig: unset means logging for every channel. */
export const channelSelectionEnv = z
  .string()
  .optional()
  .transform((raw, ctx): ChannelSelection => {
    if (raw === undefined) return DEFAULT_CHANNEL_SELECTION;
    const parsed = parseChannelSelection(raw);
    if (parsed.ok) return parsed.selection;
    ctx.addIssue({ code: 'custom', message: `must be ${ALLOWED}; ${parsed.problem}` });
    return z.NEVER;
  });

/** The channel implementations the selection names. */
export function createChannels(selection: ChannelSelection, logger: Logger): ChannelSet {
  const build = (kind: ChannelKind): NotificationChannel =>
    kind === 'logging' ? new LoggingChannel(logger) : new FailingChannel();
  return { email: build(selection.email), sms: build(selection.sms), push: build(selection.push) };
}
