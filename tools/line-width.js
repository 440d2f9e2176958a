#!/usr/bin/env node
/**
 * `npm run format:check` runs this after Prettier: no line of code or template is wider than 120 columns.
 * Prettier wraps code at 120 but leaves long strings, comments and templates alone, and it does not read Nunjucks.
 * Reads the files git tracks (plus new, unignored ones) with the endings below; prints each wide line; exits 1 if any.
 */
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');

const MAX = 120;
const ENDINGS = ['.ts', '.js', '.mjs', '.cjs', '.njk', '.yaml', '.yml', '.scss', '.css', '.sh'];

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => ENDINGS.some((ending) => file.endsWith(ending)));

let wide = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // deleted in the working tree but not yet in the index
  }
  text.split('\n').forEach((line, index) => {
    const width = [...line].length;
    if (width > MAX) {
      wide += 1;
      process.stdout.write(`${file}:${index + 1}: ${width} columns (at most ${MAX})\n`);
    }
  });
}
if (wide > 0) {
  process.stdout.write(`${wide} line(s) wider than ${MAX} columns\n`);
  process.exit(1);
}
