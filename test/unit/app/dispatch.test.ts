import { describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../../common/contract';
import { AppError } from '../../../common/errors';
import { dispatchInvoke, type HandlerTable } from '../../../main/app/dispatch';

/** A table whose every handler records that it ran; values are irrelevant to these tests. */
function recordingTable(): { table: HandlerTable; calls: string[] } {
  const calls: string[] = [];
  const table = Object.fromEntries(
    INVOKE_CHANNELS.map((channel) => [
      channel,
      (request: unknown) => {
        calls.push(channel);
        return { echoed: request };
      },
    ]),
  ) as unknown as HandlerTable;
  return { table, calls };
}

const context = { edition: 'browser' } as const;

describe('dispatchInvoke', () => {
  it('rejects a request failing its schema before any handler runs', async () => {
    const { table, calls } = recordingTable();
    const result = await dispatchInvoke(table, 'sites:delete', { siteId: '../../etc/passwd' }, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(result.ok ? '' : result.error.message).toContain('siteId');
    expect(calls).toEqual([]);
  });

  it('rejects unknown keys (strict schemas), so the renderer cannot smuggle fields', async () => {
    const { table, calls } = recordingTable();
    const result = await dispatchInvoke(table, 'auth:cancel', { flowId: 'abc', refreshToken: 'x' }, context);
    expect(result.ok).toBe(false);
    expect(calls).toEqual([]);
  });

  it('refuses channels outside the contract', async () => {
    const { table, calls } = recordingTable();
    for (const channel of ['fs:read', '__proto__', 'constructor', 42, null]) {
      const result = await dispatchInvoke(table, channel, {}, context);
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
    expect(calls).toEqual([]);
  });

  it('passes the parsed request to the handler and wraps the value', async () => {
    const { table, calls } = recordingTable();
    const result = await dispatchInvoke(table, 'auth:cancel', { flowId: 'flow-1' }, context);
    expect(result).toEqual({ ok: true, value: { echoed: { flowId: 'flow-1' } } });
    expect(calls).toEqual(['auth:cancel']);
  });

  it('turns an AppError into {code, message, hint}', async () => {
    const { table } = recordingTable();
    const failing = { ...table, 'sites:list': () => { throw new AppError('KEYCHAIN_UNAVAILABLE', 'The keychain is locked.', { hint: 'Unlock it.' }); } };
    const result = await dispatchInvoke(failing, 'sites:list', {}, context);
    expect(result).toEqual({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE', message: 'The keychain is locked.', hint: 'Unlock it.' } });
  });

  it('hides unexpected error text (it may carry URLs with tokens) and reports it to main', async () => {
    const { table } = recordingTable();
    const onUnexpectedError = vi.fn();
    const failing = { ...table, 'sites:list': () => { throw new Error('GET https://x/?access_token=SECRET failed'); } };
    const result = await dispatchInvoke(failing, 'sites:list', {}, context, { onUnexpectedError });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('SECRET');
    expect(onUnexpectedError).toHaveBeenCalledOnce();
  });
});
