/**
 * Issue 16: the encryption's parts priced apart, in one process, on new cases shaped as the intake writes them (a
 * summary, a victim and a suspect): sealing (three AES-GCM parts, the keys taken from the pool, the pool's refills),
 * opening the people just after, in batches, as the case search does live, opening all three parts (keys cached, as
 * the command path and the exports do), refilling the pool (a wrap and an insert per key), binding the keys as the
 * key log follower does (in batches of 100 intakes), and the size of a sealed `personal` against the clear one.
 *
 *   node --conditions=@hru/source --import tsx tests/bench/encryption-parts.ts [cases=5000]
 *
 * CPU of this process per case (process.cpuUsage); on a shared machine, read it beside the load average.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { PersonalDataCipher } from '@hru/application';
import { LocalKeyWrapper, SqliteKeyStore } from '@hru/infra';
import { tempDir } from '../support/temp-dir.js';

const cases = Number(process.argv[2] ?? 5_000);
const WARM_UP = 1_000;
const summary =
  'Repeated unwanted contact after the end of a relationship: messages at night, waiting outside the victim\u2019s ' +
  'workplace, contact through friends after being told to stop.';

function intake() {
  const referralId = randomUUID();
  const people = [
    { partyId: randomUUID(), name: 'Alex Example', dateOfBirth: '1990-01-01', sourceRef: 'V-0001' },
    { partyId: randomUUID(), name: 'Sam Example', sourceRef: 'S-0002' },
  ];
  return { streamId: referralId, eventId: randomUUID(), data: { referralId, personal: { summary, people } } };
}

const cpuUs = (since: NodeJS.CpuUsage) => ((used) => used.user + used.system)(process.cpuUsage(since));
const { dir, cleanup } = tempDir('hru-bench-encryption-parts-');
const keys = new SqliteKeyStore(join(dir, 'keys.sqlite'), [new LocalKeyWrapper(randomBytes(32))]);
try {
  const cipher = new PersonalDataCipher(keys);
  const events = Array.from({ length: WARM_UP + cases }, intake);
  for (const event of events.slice(0, WARM_UP)) await cipher.seal([event], true);
  const measured = events.slice(WARM_UP);
  const load = loadavg()[0]!.toFixed(1);

  // The live path, in batches as the case search's subscription hands them over: sealed, then its people opened.
  let sealUs = 0;
  let openPeopleUs = 0;
  const sealed = [];
  for (let i = 0; i < measured.length; i += 50) {
    let since = process.cpuUsage();
    const batch = [];
    for (const event of measured.slice(i, i + 50)) batch.push((await cipher.seal([event], true))[0]!);
    sealUs += cpuUs(since);
    since = process.cpuUsage();
    await cipher.openPeople(batch);
    openPeopleUs += cpuUs(since);
    sealed.push(...batch);
  }
  sealUs /= cases;
  openPeopleUs /= cases;

  // Opened as the command path and the exports read them: all three parts, decrypted (keys cached).
  const reader = new PersonalDataCipher(keys);
  let since = process.cpuUsage();
  for (const event of sealed) await reader.open([event]);
  const openUs = cpuUs(since) / cases;

  since = process.cpuUsage();
  keys.refillPool(3 * cases);
  const refillUs = cpuUs(since) / cases;

  type Part = { k: string };
  const ids = sealed.flatMap((event) => {
    const personal = (event.data as unknown as { personal: { case: Part; people: Part[] } }).personal;
    return [personal.case.k, ...personal.people.map((p) => p.k)];
  });
  since = process.cpuUsage();
  for (let i = 0; i < ids.length; i += 300) await keys.bindKeys(ids.slice(i, i + 300), BigInt(i));
  const bindUs = cpuUs(since) / cases;

  const clearBytes = JSON.stringify(measured[0]!.data.personal).length;
  const sealedBytes = JSON.stringify((sealed[0]!.data as unknown as { personal: unknown }).personal).length;
  console.log(`${cases} new cases, load ${load}, µs of CPU per case:`);
  console.log(`  seal (3 AES-GCM parts, pool keys, refills): ${sealUs.toFixed(1)}`);
  console.log(`  open people just sealed (the case search):  ${openPeopleUs.toFixed(1)}`);
  console.log(`  open (3 parts decrypted, keys cached):      ${openUs.toFixed(1)}`);
  console.log(`  pool refill (3 keys: wrap + insert):        ${refillUs.toFixed(1)}`);
  console.log(`  bind (batches of 100 cases):                ${bindUs.toFixed(1)}`);
  console.log(`  personal: ${clearBytes} bytes clear, ${sealedBytes} sealed`);
} finally {
  await keys.close();
  cleanup();
}
