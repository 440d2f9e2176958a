import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

/**
 * Public geography shipped in reference-data/ (ONS Postcode Directory, OGL v3.0; see its
 * README for the attribution). Found by walking up from here so it works from src and dist.
 */
export function referenceDataDir(): string {
  const fromEnv = process.env['REFERENCE_DATA_DIR'];
  if (fromEnv) return fromEnv;
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'reference-data');
    if (existsSync(path.join(candidate, 'postcodes-rotherham.csv'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('reference-data/ not found: set REFERENCE_DATA_DIR');
}

export interface Postcode {
  postcode: string;
  district: string;
  easting: number;
  northing: number;
}

export interface PostcodeDistrict {
  district: string;
  laCode: string;
  laName: string;
  easting: number;
  northing: number;
  postcodes: number;
}

let rotherhamCache: Postcode[] | undefined;
let districtCache: PostcodeDistrict[] | undefined;

export function rotherhamPostcodes(): Postcode[] {
  rotherhamCache ??= (
    parse(readFileSync(path.join(referenceDataDir(), 'postcodes-rotherham.csv')), { columns: true }) as Record<
      string,
      string
    >[]
  ).map((r) => ({
    postcode: r['postcode'],
    district: r['postcode'].split(' ')[0],
    easting: Number(r['easting']),
    northing: Number(r['northing']),
  }));
  return rotherhamCache;
}

export function englandPostcodeDistricts(): PostcodeDistrict[] {
  districtCache ??= (
    parse(readFileSync(path.join(referenceDataDir(), 'postcode-districts-england.csv')), { columns: true }) as Record<
      string,
      string
    >[]
  ).map((r) => ({
    district: r['district'],
    laCode: r['la_code'],
    laName: r['la_name'],
    easting: Number(r['easting']),
    northing: Number(r['northing']),
    postcodes: Number(r['postcodes']),
  }));
  return districtCache;
}
