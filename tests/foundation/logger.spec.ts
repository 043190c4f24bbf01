import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createLogger } from '@hru/infra';
import { finished, spawnTs } from '../support/spawn-ts.js';

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

  // pino's default standard output is already asynchronous (a SonicBoom with sync: false), flushed on `exit`: issue 19
  // asked for it, and these pin it so that a change of default or of setup does not bring a syscall per line back.
  it('writes standard output through an asynchronous destination', () => {
    const stream = (createLogger() as unknown as Record<symbol, { sync?: boolean; fd?: number }>)[pino.symbols.streamSym]!;
    expect(stream).toMatchObject({ fd: 1, sync: false });
  });

  it.each(['exit', 'throw'])('writes standard output asynchronously yet loses no line when the process ends (%s)', async (how) => {
    const result = await finished(spawnTs('tests/foundation/support/log-then-exit.ts', [how]));
    const lines = result.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { i: number; service: string });
    expect(lines.map((l) => l.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(result.code).toBe(how === 'exit' ? 0 : 1);
  });
});
