import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  MatchingIndex,
  ROTHERHAM,
  syntheticEstate,
  syntheticReferrals,
  type MatchDetail,
  type PostcodeDistrict,
  type ReferralNeeds,
} from '@placement/matching';
import { timeIt, type Bench, type BenchContext } from '../harness';

const AS_AT = '2026-03-02T09:00:00.000Z';
const START_DATE = '2026-03-09';

/** The ONS postcode-district centroids (reference-data/, or REFERENCE_DATA_DIR). */
export function loadPostcodeDistricts(dir = process.env['REFERENCE_DATA_DIR'] ?? join(process.cwd(), 'reference-data')): PostcodeDistrict[] {
  const rows: Record<string, string>[] = parse(readFileSync(join(dir, 'postcode-districts-england.csv')), { columns: true, skip_empty_lines: true });
  return rows.map((r) => ({ district: r['district'], laCode: r['la_code'], easting: Number(r['easting']), northing: Number(r['northing']) }));
}

function percentile(sortedMs: readonly number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)];
}

/** Milliseconds for each referral's match, after a warm-up, sorted ascending. */
function latencies(index: MatchingIndex, referrals: readonly ReferralNeeds[], detail: MatchDetail, warmUp = 100): number[] {
  for (const needs of referrals.slice(0, warmUp)) index.match(needs, undefined, { detail });
  const times: number[] = [];
  for (const needs of referrals) {
    const start = process.hrtime.bigint();
    index.match(needs, undefined, { detail });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}

async function run({ emit }: BenchContext): Promise<void> {
  const districts = loadPostcodeDistricts();

  const rotherham = syntheticEstate({ scale: 'rotherham', seed: 903, districts, asAt: AS_AT });
  const rotherhamIndex = MatchingIndex.build(rotherham.snapshot);
  const rotherhamReferrals = syntheticReferrals({ seed: 467, count: 2_000, startDate: START_DATE, districts, authorities: [ROTHERHAM] });
  const local = latencies(rotherhamIndex, rotherhamReferrals, 'summary');
  emit({ bench: 'match.rotherham.units', value: rotherhamIndex.unitCount, unit: 'units' });
  emit({ bench: 'match.rotherham.p50', value: percentile(local, 50), unit: 'ms' });
  emit({ bench: 'match.rotherham.p99', value: percentile(local, 99), unit: 'ms' });
  const localFull = latencies(rotherhamIndex, rotherhamReferrals, 'full');
  emit({ bench: 'match.rotherham.full.p99', value: percentile(localFull, 99), unit: 'ms' });

  const rssBefore = process.memoryUsage().rss;
  const national = syntheticEstate({ scale: 'national', seed: 83_630, districts, asAt: AS_AT });
  let nationalIndex: MatchingIndex | undefined;
  const buildSeconds = await timeIt(() => {
    nationalIndex = MatchingIndex.build(national.snapshot);
  });
  if (!nationalIndex) throw new Error('index not built');
  const rss = process.memoryUsage().rss;
  emit({ bench: 'match.national.units', value: nationalIndex.unitCount, unit: 'units' });
  emit({ bench: 'match.national.index-build', value: buildSeconds * 1000, unit: 'ms' });
  emit({ bench: 'match.national.rss', value: mib(rss), unit: 'MiB' });
  emit({ bench: 'match.national.estate-rss-delta', value: mib(rss - rssBefore), unit: 'MiB' });

  const nationalReferrals = syntheticReferrals({ seed: 84_000, count: 1_000, startDate: START_DATE, districts, authorities: national.authorities });
  const england = latencies(nationalIndex, nationalReferrals, 'summary');
  emit({ bench: 'match.national.p50', value: percentile(england, 50), unit: 'ms' });
  emit({ bench: 'match.national.p99', value: percentile(england, 99), unit: 'ms' });
  // Full detail reads every unit: what the API pays when the officer asks for every exclusion.
  const englandFull = latencies(nationalIndex, nationalReferrals.slice(0, 100), 'full', 5);
  emit({ bench: 'match.national.full.p50', value: percentile(englandFull, 50), unit: 'ms' });
  emit({ bench: 'match.national.full.p99', value: percentile(englandFull, 99), unit: 'ms' });
}

export const matchingBench: Bench = { name: 'matching', run };
