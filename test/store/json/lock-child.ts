/**
 * Child process for the lock test: waits for "go" on stdin, tries to lock the store, prints
 * "won" or "lost MESSAGE", then holds whatever it got until stdin closes.
 * Usage: node --import tsx lock-child.ts MAIN LOCKFILE
 */
import { acquire } from '../../../src/store/json/lock.ts';

const [main, lockFile] = process.argv.slice(2);
process.stdin.setEncoding('utf8');
process.stdin.once('data', async () => {
  try {
    await acquire(main!, lockFile!);
    process.stdout.write('won\n');
  } catch (e) {
    process.stdout.write(`lost ${(e as Error).message}\n`);
  }
});
process.stdin.on('end', () => process.exit(0));
process.stdout.write('ready\n');
