import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'dotenv';
import { applyEnvFile, configVariables, readEnvFile, validateEnvironment } from './environment';

const root = path.resolve(__dirname, '../../../..');

describe('.env.example', () => {
  const example = parse(readFileSync(path.join(root, '.env.example')));

  it('lists every variable the configuration schema knows, and nothing else', () => {
    expect(Object.keys(example).sort()).toEqual(configVariables().sort());
  });

  it('gives each variable its default: the example as a .env changes nothing', () => {
    expect(validateEnvironment(example)).toEqual(validateEnvironment({}));
  });
});

describe("the README's configuration table", () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.split('\n## Configuration\n')[1]?.split('\n## ')[0] ?? '';
  const rows = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| ([^|]*) \|/gm)];

  it('has one row for every variable the configuration schema knows, and no other', () => {
    expect(rows.map(([, name]) => name).sort()).toEqual(configVariables().sort());
  });

  it('gives the default .env.example gives, where the example sets one', () => {
    const example = parse(readFileSync(path.join(root, '.env.example')));
    for (const [, name, readmeDefault] of rows) {
      if (example[name] === '') continue; // unset by default: the table says what that means
      expect(`${name} ${readmeDefault.trim()}`).toBe(`${name} \`${example[name]}\``);
    }
  });
});

describe('readEnvFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'placement-env-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads dotenv syntax (comments, quotes) and nothing when the file is absent', () => {
    const file = path.join(dir, '.env');
    writeFileSync(file, '# a comment\nPORT=8080\nSQLITE_PATH="/var/lib/placement/events.db"\nEMPTY=\n');
    expect(readEnvFile(file)).toEqual({ PORT: '8080', SQLITE_PATH: '/var/lib/placement/events.db', EMPTY: '' });
    expect(readEnvFile(path.join(dir, 'missing.env'))).toEqual({});
  });

  it('is validated like the environment: a misspelt boolean in the file stops the start', () => {
    const file = path.join(dir, '.env');
    writeFileSync(file, 'SEED_DEMO_ESTATE=yes\n');
    expect(() => validateEnvironment(readEnvFile(file))).toThrow(/SEED_DEMO_ESTATE must be true or false/);
  });
});

describe('applyEnvFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'placement-env-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sets what the environment lacks and leaves what it was started with', () => {
    const file = path.join(dir, '.env');
    writeFileSync(file, 'PORT=8080\nLOG_LEVEL=debug\n');
    const target: Record<string, string | undefined> = { PORT: '9090' };
    expect(applyEnvFile(file, target)).toEqual(['LOG_LEVEL']);
    expect(target).toEqual({ PORT: '9090', LOG_LEVEL: 'debug' });
    expect(applyEnvFile(path.join(dir, 'none'), target)).toEqual([]);
  });
});
