/**
 * What Salesforce says, and what to do, when a connected app is blocked for not being
 * installed in the org. Sign-in (the authorize redirect) and health (the install check) both
 * meet this refusal, so the wording lives in the Salesforce layer they share.
 */

export function uninstalledExplanation(appName: string): string {
  return (
    `${appName} is not installed in this org. Since September 2025 Salesforce blocks users who have not authorized an uninstalled connected app before, ` +
    `unless they hold the "Approve Uninstalled Connected Apps" permission (or "Use Any API Client"). ` +
    `Sites already authorized keep working; a new user (for example a dedicated integration user) cannot sign in, and the app's policies cannot be set until it is installed.`
  );
}

export function installFixPath(appName: string): string {
  return `Setup » Connected Apps OAuth Usage » ${appName} » Install, then set its Refresh Token Policy; or give the signing-in user the "Approve Uninstalled Connected Apps" permission (permission set).`;
}

/** The authorize or token endpoint's answer when the app is blocked for being uninstalled. */
export function isUninstalledAppError(error: string | null | undefined, description?: string | null): boolean {
  const e = (error ?? '').toLowerCase();
  const d = (description ?? '').toLowerCase();
  // The exact wording of the September 2025 block is UNCONFIRMED; match the known variants.
  return e === 'oauth_app_blocked' || /uninstalled/.test(d) || (/app/.test(d) && /blocked/.test(d));
}
