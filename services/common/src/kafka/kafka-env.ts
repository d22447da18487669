import { z } from 'zod';
import { envEnum, envString } from '../config';
import type { EnvShape } from '../config';
import { hostPortList } from '../host-port-list';

/** SASL mechanisms createKafka supports; the platform's listener uses scram-sha-512. */
export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256'] as const;

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Kafka settings for loadConfig's `extend`: `loadConfig({ extend: { ...kafkaEnv } })`. KAFKA_BROKERS is
 * required (`host:port,...`); with KAFKA_USERNAME/KAFKA_PASSWORD the client authenticates with
 * KAFKA_SASL_MECHANISM (default scram-sha-512); with KAFKA_CA_CERT (PEM; `\n` escapes are accepted) it
 * speaks TLS and trusts only that CA. createKafka checks that username and password come together.
 */
export const kafkaEnv = {
  KAFKA_BROKERS: hostPortList(),
  KAFKA_SASL_MECHANISM: envEnum(KAFKA_SASL_MECHANISMS).optional(),
  KAFKA_USERNAME: envString(/^\S{1,255}$/, 'a user name without spaces (max 255)').optional(),
  KAFKA_PASSWORD: z.string().optional(),
  KAFKA_CA_CERT: z
    .string()
    .transform((raw) => raw.replace(/\\n/g, '\n').trim())
    .refine((pem) => PEM.test(pem), {
      error: 'must be a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)',
    })
    .optional(),
  KAFKA_CLIENT_ID: envString(
    /^[A-Za-z0-9._-]{1,255}$/,
    'a client id of A-Z, a-z, 0-9, ".", "_", "-"',
  ).optional(),
  KAFKA_CONSUMER_GROUP: envString(
    /^[A-Za-z0-9._-]{1,255}$/,
    'a group id of A-Z, a-z, 0-9, ".", "_", "-"',
  ).optional(),
} satisfies EnvShape;
