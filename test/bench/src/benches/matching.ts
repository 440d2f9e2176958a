import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { bootstrapApplication } from '@placement/api';
import {
  MatchingIndex,
  ROTHERHAM,
  syntheticEstate,
  syntheticReferrals,
  type MatchDetail,
  type PostcodeDistrict,
  type ReferralNeeds,
} from '@placement/matching';
import { aReferral, TOKENS } from '@placement/test-support';
import { makeTmpDir, timeIt, type Bench, type BenchContext } from '../harness';

const AS_AT = '2026-03-02T09:00:00.000Z';
const START_DATE = '2026-03-09';

/** The ONS postcode-district centroids (reference-data/, or REFERENCE_DATA_DIR). */
export function loadPostcodeDistricts(
  dir = process.env['REFERENCE_DATA_DIR'] ?? join(process.cwd(), 'reference-data'),
): PostcodeDistrict[] {
  const rows: Record<string, string>[] = parse(readFileSync(join(dir, 'postcode-districts-england.csv')), {
    columns: true,
    skip_empty_lines: true,
  });
  return rows.map((r) => ({
    district: r['district'],
    laCode: r['la_code'],
    easting: Number(r['easting']),
    northing: Number(r['northing']),
  }));
}

function percentile(sortedMs: readonly number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)];
}

/** Milliseconds for each referral's match, after a warm-up, sorted ascending. */
function latencies(
  index: MatchingIndex,
  referrals: readonly ReferralNeeds[],
  detail: MatchDetail,
  warmUp = 100,
): number[] {
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

/**
 * Referrals matched and rounds through the API. The national estate has a fixed size (~60,000
 * units, seconds to build); smoke stands a Rotherham-scale estate in for it, so the national
 * steps (index build, memory, matching across every authority) still run, on a token estate.
 */
const SIZES = {
  full: { localReferrals: 2_000, nationalReferrals: 1_000, fullDetail: 100, apiReferrals: 20, apiRounds: 25 },
  smoke: { localReferrals: 20, nationalReferrals: 20, fullDetail: 5, apiReferrals: 2, apiRounds: 1 },
} as const;

async function run({ emit, size }: BenchContext): Promise<void> {
  const sizes = SIZES[size];
  const districts = loadPostcodeDistricts();

  const rotherham = syntheticEstate({ scale: 'rotherham', seed: 903, districts, asAt: AS_AT });
  const rotherhamIndex = MatchingIndex.build(rotherham.snapshot);
  const rotherhamReferrals = syntheticReferrals({
    seed: 467,
    count: sizes.localReferrals,
    startDate: START_DATE,
    districts,
    authorities: [ROTHERHAM],
  });
  const warmUp = Math.min(100, sizes.localReferrals);
  const local = latencies(rotherhamIndex, rotherhamReferrals, 'summary', warmUp);
  emit({ bench: 'match.rotherham.units', value: rotherhamIndex.unitCount, unit: 'units' });
  emit({ bench: 'match.rotherham.p50', value: percentile(local, 50), unit: 'ms' });
  emit({ bench: 'match.rotherham.p99', value: percentile(local, 99), unit: 'ms' });
  const localFull = latencies(rotherhamIndex, rotherhamReferrals, 'full', warmUp);
  emit({ bench: 'match.rotherham.full.p99', value: percentile(localFull, 99), unit: 'ms' });

  const rssBefore = process.memoryUsage().rss;
  const national = syntheticEstate({
    scale: size === 'smoke' ? 'rotherham' : 'national',
    seed: 83_630,
    districts,
    asAt: AS_AT,
  });
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

  const nationalReferrals = syntheticReferrals({
    seed: 84_000,
    count: sizes.nationalReferrals,
    startDate: START_DATE,
    districts,
    authorities: national.authorities,
  });
  const england = latencies(nationalIndex, nationalReferrals, 'summary', Math.min(100, sizes.nationalReferrals));
  emit({ bench: 'match.national.p50', value: percentile(england, 50), unit: 'ms' });
  emit({ bench: 'match.national.p99', value: percentile(england, 99), unit: 'ms' });
  // Full detail reads every unit: what the API pays when the officer asks for every exclusion.
  const englandFull = latencies(nationalIndex, nationalReferrals.slice(0, sizes.fullDetail), 'full', 5);
  emit({ bench: 'match.national.full.p50', value: percentile(englandFull, 50), unit: 'ms' });
  emit({ bench: 'match.national.full.p99', value: percentile(englandFull, 99), unit: 'ms' });

  await apiLatencies(emit, sizes.apiReferrals, sizes.apiRounds);
}

/**
 * One match through the API on the seeded demo Rotherham estate: HTTP, auth, validation,
 * the referral and child reads, and the engine on the capacity index the API keeps.
 */
async function apiLatencies(emit: BenchContext['emit'], referralCount: number, rounds: number): Promise<void> {
  const tmp = makeTmpDir('bench-match-api');
  const { app } = await bootstrapApplication({
    nestFactory: NestFactory,
    logger: false,
    env: {
      NODE_ENV: 'test',
      SQLITE_PATH: join(tmp.dir, 'events.db'),
      READ_MODEL_PATH: join(tmp.dir, 'read-models.db'),
      SEED_DEMO_ESTATE: 'true',
      RECONCILE_INTERVAL_SECONDS: '0',
    },
  });
  try {
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const headers = { authorization: `Bearer ${TOKENS.placement}`, 'content-type': 'application/json' };
    const districts = ['S60', 'S61', 'S62', 'S63', 'S65', 'S66'];
    const referralIds: string[] = [];
    for (let i = 0; i < referralCount; i++) {
      const referralId = `bench-ref-${i}`;
      const body = aReferral({
        referralId,
        childId: `bench-child-${i}`,
        child: { sex: i % 2 ? 'F' : 'M', dateOfBirth: `${2010 + (i % 8)}-0${1 + (i % 9)}-15`, homePostcode: 'S60 1AA' },
        urgency: i % 5 === 0 ? 'emergency' : 'planned',
        startDate: '2026-12-01',
        needs: { preferredArea: { postcodeDistrict: districts[i % districts.length], maxDistanceKm: 30 } },
        requestedBy: { role: 'social-worker', team: 'bench' },
      });
      const res = await fetch(`${base}/v1/referrals`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`referral not received: ${res.status}`);
      referralIds.push(referralId);
    }
    const timed = async (detail: MatchDetail, rounds: number): Promise<number[]> => {
      const times: number[] = [];
      for (let r = 0; r < rounds; r++) {
        for (const id of referralIds) {
          const start = process.hrtime.bigint();
          // The whole Rotherham list (139 units) is one page of full detail at the largest limit.
          const query = detail === 'full' ? 'detail=full&limit=200' : 'detail=summary';
          const res = await fetch(`${base}/v1/referrals/${id}/matches?${query}`, { headers });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`matches: ${res.status}`);
          times.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
      }
      return times.sort((a, b) => a - b);
    };
    await timed('summary', Math.min(2, rounds));
    const summary = await timed('summary', rounds);
    emit({ bench: 'match.api.rotherham.p50', value: percentile(summary, 50), unit: 'ms' });
    emit({ bench: 'match.api.rotherham.p99', value: percentile(summary, 99), unit: 'ms' });
    const full = await timed('full', Math.max(1, Math.round(rounds / 2.5)));
    emit({ bench: 'match.api.rotherham.full.p99', value: percentile(full, 99), unit: 'ms' });
  } finally {
    await app.close();
    tmp.remove();
  }
}

export const matchingBench: Bench = {
  name: 'matching',
  figures: [
    'match.rotherham.units',
    'match.rotherham.p50',
    'match.rotherham.p99',
    'match.rotherham.full.p99',
    'match.national.units',
    'match.national.index-build',
    'match.national.rss',
    'match.national.estate-rss-delta',
    'match.national.p50',
    'match.national.p99',
    'match.national.full.p50',
    'match.national.full.p99',
    'match.api.rotherham.p50',
    'match.api.rotherham.p99',
    'match.api.rotherham.full.p99',
  ],
  run,
};
