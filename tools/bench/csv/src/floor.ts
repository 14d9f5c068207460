/**
 * The floor of the CSV benchmark: reading a CSV file and splitting it into rows and fields in
 * plain Node, with nothing kept. Prints the number of rows.
 */
import { createReadStream } from 'node:fs';

async function main(file: string): Promise<void> {
  let rows = 0;
  let fields = 0;
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') continue;
      fields += line.split(',').length;
      rows++;
    }
  }
  if (rest !== '') rows++;
  process.stdout.write(`${rows} ${fields}\n`);
}

void main(process.argv[2]!);
