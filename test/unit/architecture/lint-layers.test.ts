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

  describe('inside main/', () => {
    const importing = (target: string) => `import { x } from '${target}';\nexport const y = x;\n`;

    it('keeps main/platform at the bottom: it imports no other main/ folder', async () => {
      for (const other of ['salesforce', 'auth', 'health', 'sites', 'app', 'web', 'electron']) {
        const errors = await importErrors('main/platform/event-bus.ts', importing(`../${other}/thing`));
        expect(errors, other).toHaveLength(1);
        expect(errors[0]).toContain(`main/platform/ is the bottom layer: it must not import main/${other}/.`);
      }
    });

    it('lets main/salesforce import only main/platform', async () => {
      expect(await importErrors('main/salesforce/connection-registry.ts', importing('../platform/logger'))).toEqual([]);
      for (const other of ['auth', 'health', 'sites', 'sync', 'app']) {
        expect(await importErrors('main/salesforce/connection-registry.ts', importing(`../${other}/thing`)), other).toHaveLength(1);
      }
    });

    it('keeps features from importing each other, however deep the file', async () => {
      const errors = await importErrors('main/sync/executor/batch.ts', importing('../../health/health-service'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('Features never import each other (main/sync/ → main/health/)');
      expect(await importErrors('main/health/health-module.ts', importing('../auth/sign-in-service'))).toHaveLength(1);
      expect(await importErrors('main/auth/sign-in-service.ts', importing('../sites/site-service'))).toHaveLength(1);
    });

    it('treats every other folder of main/ as a feature, listed or not', async () => {
      // main/fields exists; nobody listed it: it is still a feature beside the others.
      expect(await importErrors('main/fields/field-service.ts', importing('../sync/sync-service'))).toHaveLength(1);
      expect(await importErrors('main/fields/field-service.ts', importing('../salesforce/connection-registry'))).toEqual([]);
    });

    it('lets features import the Salesforce layer and the platform, and never main/app', async () => {
      expect(await importErrors('main/sites/site-service.ts', importing('../platform/profile-store'))).toEqual([]);
      expect(await importErrors('main/health/health-module.ts', importing('../salesforce/connection-registry'))).toEqual([]);
      expect(await importErrors('main/health/health-module.ts', importing('../app/activity-log'))).toHaveLength(1);
    });

    it('lets main/app compose features but not import the transports above it', async () => {
      expect(await importErrors('main/app/create-app.ts', importing('../health/health-module'))).toEqual([]);
      expect(await importErrors('main/app/create-app.ts', importing('../web/web-server'))).toHaveLength(1);
      expect(await importErrors('main/app/create-app.ts', importing('../electron/electron-main'))).toHaveLength(1);
    });

    it('turns every folder-level loop into a lint error on at least one side', async () => {
      // A loop needs an arrow running up or sideways; each pair below is one, both directions.
      const pairs: [string, string][] = [['platform', 'salesforce'], ['salesforce', 'auth'], ['auth', 'health'], ['sites', 'app'], ['app', 'web']];
      for (const [a, b] of pairs) {
        const ab = await importErrors(`main/${a}/x.ts`, importing(`../${b}/y`));
        const ba = await importErrors(`main/${b}/y.ts`, importing(`../${a}/x`));
        expect(ab.length + ba.length, `${a} ↔ ${b}`).toBeGreaterThan(0);
      }
    });
  });

  it('rejects default exports', async () => {
    const [result] = await eslint.lintText('export default 1;\n', { filePath: 'main/app/thing.ts' });
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-syntax');
  });
});
