/**
 * The sign-in preflight as sign-in consumes it: `preflight(context)` runs before the browser
 * opens. The context type is declared here structurally (features never import each other);
 * a unit test checks it still fits main/auth's SignInPreflight.
 */
import type { ConnectionDto } from '../../common/models';
import type { ApprovalCensusDto, PreflightRequest, PreflightResult } from '../../common/health-models';
import { AppError } from '../../common/errors';
import type { Logger } from '../platform/logger';
import { silentLogger } from '../platform/logger';

export interface PreflightHookContext {
  readonly chooseAnotherUser: boolean;
  readonly connection?: ConnectionDto;
  readonly existingConnections: readonly ConnectionDto[];
  /** The approval the admin agreed to lose in the PreflightDialog ("Continue and disconnect"). */
  readonly acknowledgedApprovalId?: string;
  /** The username the admin said they will sign in as (a new connection). */
  readonly expectedUsername?: string;
}

export interface PreflightHookOptions {
  /**
   * Stop a sign-in that would evict another site's approval unless the admin acknowledged
   * exactly that approval (main/app turns this on). Off, the hook only logs.
   */
  readonly enforce?: boolean;
  readonly logger?: Logger;
}

/** The preflight for a sign-in: reauthorization knows its user; a new sign-in does not. */
export function preflightRequestFor(context: PreflightHookContext): PreflightRequest {
  if (context.connection) return { connectionId: context.connection.id };
  return context.expectedUsername === undefined ? {} : { username: context.expectedUsername };
}

/** What the preflight hands back through sign-in: the census it took, to compare afterwards. */
export interface PreflightSnapshot {
  readonly census: ApprovalCensusDto | null;
}

export type PreflightCheck = (request: PreflightRequest) => Promise<{ readonly result: PreflightResult; readonly census?: ApprovalCensusDto | null }>;

export function preflightHook(check: PreflightCheck, options: PreflightHookOptions = {}): (context: PreflightHookContext) => Promise<PreflightSnapshot> {
  const logger = options.logger ?? silentLogger;
  return async (context) => {
    let result: PreflightResult;
    let census: ApprovalCensusDto | null;
    try {
      ({ result, census = null } = await check(preflightRequestFor(context)));
    } catch {
      // A census that fails must not stop the admin from signing in.
      logger.warn('sign-in preflight could not run');
      return { census: null };
    }
    logger.info('sign-in preflight', { verdict: result.verdict, used: result.used, cap: result.cap });
    if (options.enforce && result.verdict === 'will-disconnect' && result.evicts && context.acknowledgedApprovalId !== result.evicts.approvalId) {
      throw new AppError('CONFLICT', result.message, { hint: result.suggestion ?? 'Choose another Salesforce user, or confirm that this site may be disconnected.' });
    }
    return { census };
  };
}
