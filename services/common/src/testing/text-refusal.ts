import { TEXT_CHARACTER_MESSAGE } from '../text';

/**
 * The 400 body every service answers for a refused character in a text field (without the request id),
 * e.g. `textRefusal('name', 'U+202E at character 4')`: one shape and one wording everywhere.
 */
export function textRefusal(field: string, found: string) {
  const message = `${TEXT_CHARACTER_MESSAGE} (found ${found})`;
  return { error: 'validation_failed', message: `${field} ${message}`, details: [{ field, message }] };
}
