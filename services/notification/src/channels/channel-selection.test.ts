import { createLogger } from '@platform/common';
import {
  DEFAULT_CHANNEL_SELECTION,
  channelSelectionEnv,
  createChannels,
  parseChannelSelection,
} from './channel-selection';
import { FailingChannel } from './failing-channel';
import { LoggingChannel } from './logging-channel';

describe('parseChannelSelection', () => {
  it('binds the named channels and keeps logging for the others', () => {
    expect(parseChannelSelection('sms=failing')).toEqual({
      ok: true,
      selection: { email: 'logging', sms: 'failing', push: 'logging' },
    });
    expect(parseChannelSelection(' email = logging , push=failing ')).toEqual({
      ok: true,
      selection: { email: 'logging', sms: 'logging', push: 'failing' },
    });
  });

  it.each([
    ['fax=logging', '"fax" is not a channel'],
    ['email=smtp', '"smtp" is not a channel kind'],
    ['email', '"email" is not channel=kind'],
    ['email=logging=x', '"email=logging=x" is not channel=kind'],
    ['email=logging,email=failing', 'email is given twice'],
  ])('refuses %j: %s', (raw, problem) => {
    expect(parseChannelSelection(raw)).toEqual({ ok: false, problem });
  });
});

describe('channelSelectionEnv', () => {
  it('defaults to logging for every channel when unset', () => {
    expect(channelSelectionEnv.parse(undefined)).toEqual(DEFAULT_CHANNEL_SELECTION);
  });

  it('says what is allowed and what is wrong', () => {
    const result = channelSelectionEnv.safeParse('email=smtp');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'must be a comma list of channel=kind with channel email|sms|push and kind logging|failing, e.g. "email=logging,sms=logging"; "smtp" is not a channel kind',
    );
  });
});

describe('createChannels', () => {
  it('builds the implementation each channel is bound to', () => {
    const logger = createLogger({
      serviceName: 'notification',
      serviceVersion: 'test',
      track: 'stable',
      logLevel: 'silent',
    });
    const channels = createChannels({ email: 'logging', sms: 'failing', push: 'logging' }, logger);
    expect(channels.email).toBeInstanceOf(LoggingChannel);
    expect(channels.sms).toBeInstanceOf(FailingChannel);
    expect(channels.push).toBeInstanceOf(LoggingChannel);
  });
});
