import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/** Asks on stderr (stdout stays clean for output); `hidden` does not echo what is typed. */
export async function ask(question: string, hidden = false): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({
    input: process.stdin,
    output,
    terminal: Boolean(process.stdin.isTTY),
  });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(question, (answer) => resolve(answer));
      muted = hidden;
    });
  } finally {
    rl.close();
    if (hidden) process.stderr.write('\n');
  }
}
