import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@hru/infra';

describe('logger', () => {
  it('keeps ids and censors personal data and credentials', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const log = createLogger({ destination });
    log.info(
      {
        referralId: 'ref-1',
        correlationId: 'corr-9',
        event: { data: { personal: { people: [{ name: 'Jane Victim', dateOfBirth: '1990-01-01' }] }, referralId: 'ref-1' } },
        victim: { name: 'Jane Victim' },
        req: { headers: { authorization: 'Bearer secret-token', 'x-justification': 'safeguarding' } },
      },
      'command handled',
    );
    const text = lines.join('');
    expect(text).toContain('ref-1');
    expect(text).toContain('corr-9');
    for (const secret of ['Jane Victim', '1990-01-01', 'secret-token', 'safeguarding']) expect(text).not.toContain(secret);
  });
});
