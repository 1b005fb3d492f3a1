/**
 * Sign-in as a feature module: `auth:start`, `auth:cancel` and `auth:pending`. The preflight
 * channel belongs to health (it is a census question); main/app passes health's preflight in.
 */
import type { FeatureModule } from '../platform/feature-module';
import { SignInService, type SignInServiceOptions } from './sign-in-service';

export type AuthChannel = 'auth:start' | 'auth:cancel' | 'auth:pending';

export interface AuthModule extends FeatureModule<AuthChannel> {
  readonly signIn: SignInService;
}

export function createAuthModule(options: SignInServiceOptions): AuthModule {
  const signIn = new SignInService(options);
  return {
    signIn,
    handlers: {
      'auth:start': (request) => signIn.startSignIn(request),
      'auth:cancel': ({ flowId }) => signIn.cancelSignIn(flowId),
      'auth:pending': () => signIn.pending(),
    },
    start() {},
    stop: () => signIn.close(),
  };
}
