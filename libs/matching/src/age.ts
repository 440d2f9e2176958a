/** Whole years between a YYYY-MM-DD date of birth and a YYYY-MM-DD date (birthday counts). */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = parseDay(dateOfBirth);
  const [y, m, d] = parseDay(on);
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}

function parseDay(day: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${day}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}
