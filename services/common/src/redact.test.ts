import { captureLogger } from './testing/capture-logger';
import { createLogger } from './logger';
import { REDACTED, redactError, redactJsonLine, redactText, secretValues, secretsInValue } from './redact';

describe('secretsInValue', () => {
  it('finds the userinfo password of a URL, raw and decoded', () => {
    expect(secretsInValue('redis://:p%40ss-w0rd@redis:6379')).toEqual(['p%40ss-w0rd', 'p@ss-w0rd']);
    expect(secretsInValue('mongodb://svc:Pw-1@h1,h2/db')).toEqual(['Pw-1']);
  });

  it('takes both readings of a password with an unescaped "@"', () => {
    expect(secretsInValue('mongodb://u:ab@cd@host/db')).toEqual(['ab', 'ab@cd']);
  });

  it('treats a userinfo without ":" as a secret (a token) and finds password= parameters', () => {
    expect(secretsInValue('https://ghp_token123@example.com')).toEqual(['ghp_token123']);
    expect(secretsInValue('mongodb://h/db?authSource=admin&password=Top%20Secret')).toEqual([
      'Top%20Secret',
      'Top Secret',
    ]);
  });

  it('finds nothing in a URL without credentials', () => {
    expect(secretsInValue('redis://redis:6379/0')).toEqual([]);
    expect(secretsInValue('kafka-0:9092,kafka-1:9092')).toEqual([]);
  });
});

describe('secretValues', () => {
  it('collects values of variables named like secrets and passwords inside any value, longest first', () => {
    const secrets = secretValues({
      REDIS_PASSWORD: 'redis-pass-1',
      KAFKA_PASSWORD: 'kafka pass/2',
      JWT_SECRET: 'jwt-secret-value-3',
      SERVICE_TOKEN_KEY: 'service-key-4',
      API_TOKEN: 'token-value-5',
      MONGODB_URI: 'mongodb://svc:mongo-pass-6@h/db',
      SERVICE_NAME: 'product-service',
    });
    for (const secret of [
      'redis-pass-1',
      'kafka pass/2',
      'kafka%20pass%2F2',
      'jwt-secret-value-3',
      'service-key-4',
      'token-value-5',
      'mongo-pass-6',
    ]) {
      expect(secrets).toContain(secret);
    }
    expect(secrets).not.toContain('product-service');
    expect(secrets).not.toContain('mongodb://svc:mongo-pass-6@h/db');
    expect([...secrets].sort((a, b) => b.length - a.length)).toEqual(secrets);
  });

  it('leaves out values too short to search for safely', () => {
    expect(secretValues({ CACHE_KEY: 'on', REDIS_PASSWORD: 'pw' })).toEqual([]);
  });
});

describe('redactText', () => {
  it('redacts URL userinfo passwords, keeping the user, and whole userinfo without ":"', () => {
    expect(redactText('failed redis://:S3cret@redis:6379 and mongodb://svc:S3cret@h1/db')).toBe(
      `failed redis://:${REDACTED}@redis:6379 and mongodb://svc:${REDACTED}@h1/db`,
    );
    expect(redactText('clone https://ghp_token@example.com/x')).toBe(
      `clone https://${REDACTED}@example.com/x`,
    );
    expect(redactText('Protocol and host list are required in "mongodb://u:p@ss@/db"')).toBe(
      `Protocol and host list are required in "mongodb://u:${REDACTED}@/db"`,
    );
  });

  it('redacts password=-style parameters, also with a prefix', () => {
    expect(redactText('mongodb://h/db?password=abc&w=1 db_password=xyz token=t1, api_key=k')).toBe(
      `mongodb://h/db?password=${REDACTED}&w=1 db_password=${REDACTED} token=${REDACTED}, api_key=${REDACTED}`,
    );
  });

  it('redacts the given secrets wherever they appear', () => {
    expect(redactText('bad entries: "kafka:9092", "Kafka-Pass-77"', ['Kafka-Pass-77'])).toBe(
      `bad entries: "kafka:9092", "${REDACTED}"`,
    );
  });

  it('leaves text without secrets alone', () => {
    const text = 'REDIS_SENTINELS must be a comma-separated list of host:port (got "redis-0:26379")';
    expect(redactText(text, ['unrelated-secret'])).toBe(text);
  });
});

describe('redactJsonLine', () => {
  it('redacts secrets in their JSON-escaped form and keeps the line valid JSON', () => {
    const secret = 'quote"back\\slash';
    const line = `${JSON.stringify({ msg: `bad ${secret} and redis://:pw@h:1`, path: '\\n123456' })}\n`;
    const out = redactJsonLine(line, [secret, 'n123456']);
    expect(out).not.toMatch(/quote|n123456/);
    expect(JSON.parse(out)).toEqual({
      msg: `bad ${REDACTED} and redis://:${REDACTED}@h:1`,
      path: `\\${REDACTED}`,
    });
  });

  it('does not cut an escape sequence in two', () => {
    const line = JSON.stringify({ msg: 'a\nb123456' });
    expect(JSON.parse(redactJsonLine(line, ['nb123456']))).toEqual({ msg: 'a\nb123456' });
  });
});

describe('redactError', () => {
  it('keeps name, code, message, stack and cause, redacted, and drops properties that echo input', () => {
    let error: unknown;
    try {
      new URL('redis://:Very-Secret-1@host:notaport');
    } catch (err) {
      error = err;
    }
    const wrapped = new Error('start failed at redis://:Very-Secret-1@host', { cause: error });
    const out = redactError(wrapped, ['Very-Secret-1']);
    expect(JSON.stringify(out)).not.toContain('Very-Secret-1');
    expect(out).toMatchObject({
      type: 'Error',
      message: `start failed at redis://:${REDACTED}@host`,
      cause: { type: 'TypeError', code: 'ERR_INVALID_URL', message: 'Invalid URL' },
    });
    expect(out.cause).not.toHaveProperty('input');
  });

  it('describes a thrown non-error', () => {
    expect(redactError('password=abc')).toEqual({ type: 'string', message: `password=${REDACTED}` });
  });
});

describe('createLogger', () => {
  it('scrubs the secrets of its environment from every line, children included', () => {
    const raw: string[] = [];
    const logger = createLogger(
      { serviceName: 'test', serviceVersion: '0', track: 'stable', logLevel: 'info' },
      { write: (line: string) => void raw.push(line) },
      { KAFKA_PASSWORD: 'Kafka-Secret-9', REDIS_URL: 'redis://:Redis-Secret-8@redis:6379' },
    );
    logger.child({ component: 'kafkajs' }).error({ detail: 'auth with Kafka-Secret-9' }, 'sasl failed');
    logger.warn({ err: new Error('Redis-Secret-8 rejected') }, 'connect to redis://:x@h failed');
    const text = raw.join('');
    expect(text).not.toMatch(/Kafka-Secret-9|Redis-Secret-8|:x@/);
    expect(raw.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ detail: `auth with ${REDACTED}`, component: 'kafkajs' }),
      expect.objectContaining({ msg: `connect to redis://:${REDACTED}@h failed` }),
    ]);
  });

  it('scrubs URL passwords by shape even without any secret in the environment', () => {
    const { logger, text } = captureLogger();
    logger.info({ target: 'mongodb://svc:Shape-Secret@h/db' }, 'connecting');
    expect(text()).not.toContain('Shape-Secret');
  });
});
