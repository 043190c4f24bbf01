/**
 * `X-Justification` as the text the caller meant. HTTP gives header values to Node as latin1, one character per
 * byte, so `vérification` sent as UTF-8 arrives as `vÃ©rification`: a value whose bytes are valid UTF-8 is
 * decoded as UTF-8 (a byte string that is not valid UTF-8 stays latin1, which is what its sender meant). A client
 * that can only send ASCII headers may send RFC 8187's form, `UTF-8''v%C3%A9rification`. Nothing else is changed:
 * the access log stores the decoded text exactly, and the route's schema refuses blank or invisible text.
 */
import fp from 'fastify-plugin';
import { ValidationError } from '@hru/events';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const rfc8187 = /^utf-8''/i;

export function decodeJustificationHeader(value: string): string {
  if (rfc8187.test(value)) {
    try {
      return utf8.decode(Buffer.from(decodeURIComponent(value.slice(7)), 'utf8'));
    } catch {
      throw new ValidationError('X-Justification is not valid RFC 8187 percent-encoded UTF-8', [
        { path: '/headers/x-justification', message: "UTF-8'' followed by percent-encoded UTF-8" },
      ]);
    }
  }
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  try {
    return utf8.decode(bytes);
  } catch {
    return value;
  }
}

export default fp(
  async (app) => {
    // After authentication (onRequest), before the route's schema checks the header.
    // A callback hook, not an async one: no promise for every request, which mostly carry no justification.
    app.addHook('preValidation', (request, _reply, done) => {
      const value = request.headers['x-justification'];
      if (typeof value !== 'string') return done();
      try {
        request.headers['x-justification'] = decodeJustificationHeader(value);
      } catch (error) {
        return done(error as Error);
      }
      done();
    });
  },
  { name: 'justification-header' },
);
