/**
 * Runs one keychain write in a child process, so a test can give it an environment with no
 * Secret Service and check what the adapter reports. Prints one JSON line.
 */
import { AppError } from '../../../../common/errors';
import { KeyringSecretStore } from '../../../../main/platform/keyring-secret-store';

const store = new KeyringSecretStore({ service: `ForceSites-probe-${process.pid}` });
try {
  await store.set('probe', 'probe-secret-value');
  await store.delete('probe');
  console.log(JSON.stringify({ ok: true }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, code: error instanceof AppError ? error.code : 'not-an-app-error', message: String((error as Error).message) }));
}
