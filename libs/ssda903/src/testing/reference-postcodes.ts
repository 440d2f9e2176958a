import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's own copy of the ONS postcode list (reference-data/, OGL v3.0), or REFERENCE_DATA_DIR. */
const REFERENCE_DATA = process.env['REFERENCE_DATA_DIR'] ?? join(__dirname, '../../../../reference-data');

/**
 * Real Rotherham postcodes, so a generated return passes the DfE's postcode checks
 * (HOME_POST and PL_POST are looked up against the postcode directory).
 */
export function rotherhamPostcodes(): string[] {
  return readFileSync(join(REFERENCE_DATA, 'postcodes-rotherham.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0])
    .filter((postcode) => postcode !== '');
}
