/**
 * The one place a request from the renderer turns into work.
 *
 * Both transports (Electron IPC and the browser edition's WebSocket) call `dispatchInvoke`, so
 * the checks below hold in both editions: unknown channels are refused, the payload must pass
 * the channel's schema BEFORE any handler runs, and every outcome is a `Result` because
 * Electron passes only `message` across `invoke`.
 */
import { requestSchemas, isInvokeChannel } from '../../common/contract';
import { AppError, toErrorDto, type Result } from '../../common/errors';
import type { CallContext, Handler, HandlerTable } from '../platform/feature-module';

export type { CallContext, Handler, HandlerTable };

export interface DispatchOptions {
  /** Receives unexpected errors (not AppErrors) for main's own log. */
  readonly onUnexpectedError?: (channel: string, error: unknown) => void;
}

export async function dispatchInvoke(
  table: HandlerTable,
  channel: unknown,
  payload: unknown,
  context: CallContext,
  options: DispatchOptions = {},
): Promise<Result<unknown>> {
  if (!isInvokeChannel(channel)) {
    return fail(new AppError('UNKNOWN_CHANNEL', 'ForceSites does not know that request.', { hint: 'Restart ForceSites; the window and the app may be from different versions.' }));
  }
  const parsed = requestSchemas[channel].safeParse(payload ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? ` (${first.path.join('.')})` : '';
    return fail(
      new AppError('INVALID_REQUEST', `The request for ${channel} was not valid${where}: ${first?.message ?? 'unknown problem'}.`, {
        hint: 'Check the highlighted values and try again.',
      }),
    );
  }
  try {
    const handler = table[channel] as Handler<typeof channel>;
    const value = await handler(parsed.data as never, context);
    return { ok: true, value };
  } catch (error) {
    if (!(error instanceof AppError)) options.onUnexpectedError?.(channel, error);
    return { ok: false, error: toErrorDto(error) };
  }
}

function fail(error: AppError): Result<never> {
  return { ok: false, error: error.toDto() };
}
