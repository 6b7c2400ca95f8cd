/**
 * The dependency rule (../shared/style.md) as ESLint enforces it: a relative import never leaves its
 * top-level folder, and each folder reaches the others only through the "#" aliases it may use.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'local/boundaries').map((m) => m.message);
}

describe('import boundaries', () => {
  it('refuses every climb out of a top-level folder, one level or several', async () => {
    expect(await problems('devices/x.ts', "export * from '../cloud-mock/domain/index.ts';\n")).toEqual([
      "'../cloud-mock/domain/index.ts' climbs out of devices/: import across top-level folders through #protocol.",
    ]);
    expect(await problems('devices/cli/x.ts', "export { a } from '../../lab/lab.ts';\n")).toHaveLength(1);
    expect(await problems('cloud-mock/domain/x.ts', "import '../protocol/index.ts';\n")).toHaveLength(1);
    expect(await problems('test/x.test.ts', "import '../devices/device.ts';\n")).toHaveLength(1);
  });

  it('allows relative imports inside a folder and the aliases each folder may use, through their index', async () => {
    expect(await problems('devices/cli/x.ts', "import '../kinds/registry.ts';\nimport '#protocol';\n")).toEqual([]);
    expect(await problems('lab/x.ts', "import '#cloud';\nimport '#devices';\nimport '#protocol';\n")).toEqual([]);
    expect(await problems('test/x.test.ts', "import '#lab';\nimport './support/device-lab.ts';\n")).toEqual([]);
    expect(await problems('devices/x.test.ts', "import '#lab';\nimport '#test-support/test-cloud.ts';\n")).toEqual([]);
  });

  it('refuses aliases a folder may not use, and deep imports past an index', async () => {
    expect(await problems('devices/x.ts', "import '#cloud';\n")).toEqual([
      "devices/ may import only #protocol (each through its index), not '#cloud'.",
    ]);
    expect(await problems('cloud-mock/protocol/x.ts', "import '#devices';\n")).toHaveLength(1);
    expect(await problems('lab/x.ts', "import '#protocol/clock.ts';\n")).toHaveLength(1);
    expect(await problems('devices/x.ts', "import '#lab';\n")).toHaveLength(1);
  });
});
