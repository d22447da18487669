import { text, z } from '@platform/common';
import { CHANNEL_NAMES } from './notification';

export const notificationId = z.uuid({ error: 'must be a notification id (UUID)' });

export const MAX_BODY_LENGTH = 2000;
export const MAX_SUBJECT_LENGTH = 200;

const E164 = /^\+[1-9]\d{1,14}$/;
// APNs tokens are 64 hex characters, FCM registration tokens about 150-200 of base64url and ":".
const DEVICE_TOKEN = /^[A-Za-z0-9_:.-]{32,1024}$/;

const RECIPIENT_RULES = {
  email: {
    valid: (value: string) => value.length <= 254 && z.email().safeParse(value).success,
    allowed: 'an email address such as "jane@example.com" (at most 254 characters)',
  },
  sms: {
    valid: (value: string) => E164.test(value),
    allowed: 'an E.164 phone number such as "+14155550123"',
  },
  push: {
    valid: (value: string) => DEVICE_TOKEN.test(value),
    allowed: 'a device token of 32-1024 characters of A-Z, a-z, 0-9, "_", ":", ".", "-"',
  },
} as const;

export const sendBody = z
  .object({
    channel: z.enum(CHANNEL_NAMES),
    // The shared text rule (common's text.ts) for everything typed: no control, invisible or bidi
    // characters, NFC. The subject is single-line: it becomes a mail header. The recipient's format is
    // checked per channel below.
    recipient: text({ max: 1024 }),
    subject: text({ max: MAX_SUBJECT_LENGTH }).optional(),
    body: text({ max: MAX_BODY_LENGTH, multiline: true }),
    idempotencyKey: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/, {
        error: 'must be 1-128 characters of A-Z, a-z, 0-9, ".", "_", ":", "-"',
      })
      .optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    // Runs once channel is valid; the recipient and subject rules depend on it.
    const rule = RECIPIENT_RULES[input.channel];
    if (typeof input.recipient === 'string' && !rule.valid(input.recipient)) {
      ctx.addIssue({
        code: 'custom',
        path: ['recipient'],
        message: `must be ${rule.allowed} for channel ${input.channel}`,
        input: input.recipient,
      });
    }
    if (input.channel === 'email' && input.subject === undefined) {
      // input: undefined, or the error would report the whole body as what was sent.
      ctx.addIssue({
        code: 'custom',
        path: ['subject'],
        message: 'is required for channel email',
        input: undefined,
      });
    }
    if (input.channel !== 'email' && input.subject !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['subject'],
        message: `is only allowed for channel email, not ${input.channel}`,
        input: input.subject,
      });
    }
  });

export type SendBody = z.output<typeof sendBody>;
