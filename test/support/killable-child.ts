/**
 * The kill-and-resume tests' child process: runs a TypeScript script (through tsx) that does
 * one run and announces `sending <stage> …` before each batch leaves and `done <json>` at the
 * end, and SIGKILLs it at the chosen batch — at once (before the batch's request leaves) or a
 * moment later (while the batch is at the server).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const tsxLoader = createRequire(import.meta.url).resolve('tsx');

export interface Kill {
  /** Count only `sending <stage> …` lines (any `sending` line when omitted). */
  readonly stage?: string;
  /** Kill at the n-th counted batch (1-based)… */
  readonly atBatch: number;
  /** …this long after its announcement (0: before its request leaves). */
  readonly afterMs: number;
}

export interface ChildRun {
  readonly state: string;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly failed: number;
}

/** Resolves `{killed: true}` after a SIGKILL, or the child's own `done` line when it finished. */
export function runKillableChild(script: string, config: object, kill: Kill | undefined): Promise<{ killed: boolean; run?: ChildRun }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, script, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let counted = 0;
    let buffered = '';
    let stderr = '';
    let run: ChildRun | undefined;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const sending = /^sending (\S+)/.exec(line);
        if (sending && (kill?.stage === undefined || sending[1] === kill.stage)) {
          counted += 1;
          if (kill && counted === kill.atBatch) {
            if (kill.afterMs === 0) child.kill('SIGKILL');
            else setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
          }
        }
        if (line.startsWith('done ')) run = JSON.parse(line.slice(5)) as ChildRun;
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: true });
      else if (code === 0) resolve({ killed: false, ...(run ? { run } : {}) });
      else reject(new Error(`the child ${script} failed (${code}): ${stderr}`));
    });
  });
}
