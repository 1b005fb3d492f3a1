import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints source text as if it lived at a given path, with the project's real eslint.config.js.
const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering enforced by lint', () => {
  it("rejects import 'electron' in main/sync", async () => {
    const errors = await importErrors('main/sync/planner.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("Only main/electron/ and preload/ may import 'electron'.");
  });

  it("allows import 'electron' in main/electron", async () => {
    expect(await importErrors('main/electron/window.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([]);
  });

  it('rejects node built-ins and main/ imports in the renderer', async () => {
    const errors = await importErrors(
      'renderer/src/features/sites/sites-page.tsx',
      "import { readFileSync } from 'node:fs';\nimport { x } from '../../../../main/app/dispatch';\nexport const y = [readFileSync, x];\n",
    );
    expect(errors).toHaveLength(2);
  });

  it('keeps common/ free of electron, node and React', async () => {
    const errors = await importErrors('common/models.ts', "import 'electron';\nimport 'node:path';\nimport 'react';\n");
    expect(errors).toHaveLength(3);
  });

  it('lets the preload import only common/ and electron', async () => {
    expect(await importErrors('preload/index.ts', "import { contextBridge } from 'electron';\nimport { INVOKE_CHANNELS } from '../common/contract';\nexport const x = [contextBridge, INVOKE_CHANNELS];\n")).toEqual([]);
    expect(await importErrors('preload/index.ts', "import { x } from '../main/app/dispatch';\nexport const y = x;\n")).toHaveLength(1);
  });

  it('rejects default exports', async () => {
    const [result] = await eslint.lintText('export default 1;\n', { filePath: 'main/app/thing.ts' });
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-syntax');
  });
});
