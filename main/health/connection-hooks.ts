/**
 * Adapters from HealthService to the two hooks of main/auth's ConnectionService:
 * `preflight(context)` before the browser opens and `explainInvalidGrant(connection, refusal)`
 * when Salesforce refuses a refresh token. The types are declared here structurally so the
 * two areas can evolve separately; a unit test checks they still fit ConnectionService's.
 */
import type { ConnectionDto, ReauthorizationCause } from '../../common/models';
import type { PreflightRequest, PreflightResult } from '../../common/health-models';
import { AppError } from '../../common/errors';
import type { Logger } from '../platform/logger';
import { silentLogger } from '../platform/logger';

export interface PreflightHookContext {
  readonly chooseAnotherUser: boolean;
  readonly connection?: ConnectionDto;
  readonly existingConnections: readonly ConnectionDto[];
  /**
   * Proposed addition to SignInRequest/SignInPreflightContext: the approval the admin agreed to
   * lose in the PreflightDialog ("Continue and disconnect"). Without it enforcement cannot
   * tell a confirmed sign-in from an unconfirmed one.
   */
  readonly acknowledgedApprovalId?: string;
}

export interface PreflightHookOptions {
  /**
   * Stop a sign-in that would evict another site's approval unless the admin acknowledged
   * exactly that approval. Off by default until the acknowledgement reaches the context: the
   * renderer's `auth:preflight` + PreflightDialog is then the guard, and this hook only logs.
   */
  readonly enforce?: boolean;
  readonly logger?: Logger;
}

/** The preflight for a sign-in: reauthorization knows its user; a new sign-in does not. */
export function preflightRequestFor(context: PreflightHookContext): PreflightRequest {
  return context.connection ? { connectionId: context.connection.id } : {};
}

export function preflightHook(service: { preflight(request: PreflightRequest): Promise<PreflightResult> }, options: PreflightHookOptions = {}): (context: PreflightHookContext) => Promise<void> {
  const logger = options.logger ?? silentLogger;
  return async (context) => {
    let result: PreflightResult;
    try {
      result = await service.preflight(preflightRequestFor(context));
    } catch {
      // A census that fails must not stop the admin from signing in.
      logger.warn('sign-in preflight could not run');
      return;
    }
    logger.info('sign-in preflight', { verdict: result.verdict, used: result.used, cap: result.cap });
    if (options.enforce && result.verdict === 'will-disconnect' && result.evicts && context.acknowledgedApprovalId !== result.evicts.approvalId) {
      throw new AppError('CONFLICT', result.message, { hint: result.suggestion ?? 'Choose another Salesforce user, or confirm that this site may be disconnected.' });
    }
  };
}

export interface InvalidGrantHookResult {
  readonly cause: ReauthorizationCause;
  readonly detail: string;
}

/**
 * `explainInvalidGrant` for the ConnectionService. Answers undefined when the census cannot
 * tell, so the ConnectionService's own guess applies instead of a bare "unknown".
 */
export function invalidGrantHook(service: { explainInvalidGrant(connection: ConnectionDto): Promise<InvalidGrantHookResult> }): (connection: ConnectionDto, refusal: { readonly error: string; readonly description: string }) => Promise<InvalidGrantHookResult | undefined> {
  return async (connection) => {
    const explanation = await service.explainInvalidGrant(connection);
    return explanation.cause === 'unknown' ? undefined : explanation;
  };
}
