import { expect } from 'vitest';
import { AppError } from '../../common/errors';

/** Awaits a promise that must reject with an AppError, and returns that error for assertions. */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}
