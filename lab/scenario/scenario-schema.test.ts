/** The published scenario schema: current, naming every step kind, and fitting every library scenario. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SCENARIO_SCHEMA_FILE, scenarioJsonSchemaText } from './scenario-json-schema.ts';
import { ScenarioSchema, STEP_SCHEMAS } from './scenario-schema.ts';
import { STEP_KINDS } from './step-kinds.ts';

const LIBRARY = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const files = (readdirSync(LIBRARY, { recursive: true }) as string[]).filter((f) => f.endsWith('.scenario.yaml'));

describe('the scenario JSON Schema', () => {
  it('equals the one generated (npm run schema) and names every step kind', () => {
    expect(readFileSync(SCENARIO_SCHEMA_FILE, 'utf8')).toBe(scenarioJsonSchemaText());
    expect(Object.keys(STEP_SCHEMAS).sort()).toEqual(Object.keys(STEP_KINDS).sort());
  });

  it('is documented: scenarios/README.md has a row for every step kind and names every cloud operation', () => {
    const readme = readFileSync(join(LIBRARY, 'README.md'), 'utf8');
    for (const kind of Object.keys(STEP_KINDS)) expect(readme, kind).toMatch(new RegExp(`^\\| \`${kind}[:\` ]`, 'm'));
    for (const op of ['removeInstance', 'revokeToken', 'deposit', 'removeLicenses', 'transfer'])
      expect(readme, op).toContain(`\`${op}:`);
  });

  it.each(files)('%s references it and fits it', (file) => {
    const text = readFileSync(join(LIBRARY, file), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\.\/scenario\.schema\.json\n/);
    expect([...Value.Errors(ScenarioSchema, parse(text))].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
  });

  it('refuses what the loader refuses: an unknown step, durations like 30x, 0s or 1000, an unknown fault or code', () => {
    const fits = (steps: unknown[]) => Value.Check(ScenarioSchema, { name: 'x', topology: 't.yaml', steps });
    expect(fits([{ advance: '30d' }])).toBe(true);
    expect(fits([{ wait: '1d' }])).toBe(false);
    expect(fits([{ advance: '30x' }])).toBe(false);
    expect(fits([{ fault: { kind: 'meteor', on: 'all' } }])).toBe(false);
    expect(fits([{ expect: { on: 'all', state: 'happy' } }])).toBe(false);
    expect(fits([{ advance: 1000 }])).toBe(false);
    expect(fits([{ advance: '0s' }])).toBe(false);
    expect(fits([{ cli: { on: 'all', run: '' } }])).toBe(false);
    const resend = { resend: { account: 'a', on: 'r' } };
    expect(fits([{ portal: { ...resend, refused: 'PAK_EXHAUSTED' } }])).toBe(true);
    expect(fits([{ portal: { ...resend, refused: 'OOPS' } }])).toBe(false);
  });
});
