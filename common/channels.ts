/**
 * The contract's channel names as runtime values, kept apart from the schemas so the
 * preload and the browser bridge can check channels without bundling the validator.
 * common/contract.ts proves at compile time that these lists equal its InvokeMap and EventMap.
 */
export const INVOKE_CHANNELS = Object.freeze([
  'app:info',
  'settings:get',
  'settings:update',
  'sites:list',
  'sites:save',
  'sites:delete',
  'connections:list',
  'connections:disconnect',
  'auth:start',
  'auth:cancel',
  'shell:open-external',
  'activity:list',
  'health:report',
  'health:check',
  'health:census',
  'health:revoke-approval',
  'auth:preflight',
] as const);

export const EVENT_CHANNELS = Object.freeze([
  'auth:finished',
  'connections:changed',
  'sites:changed',
  'activity:added',
  'app:banner',
  'app:banner-cleared',
  'health:changed',
] as const);

export type InvokeChannelName = (typeof INVOKE_CHANNELS)[number];
export type EventChannelName = (typeof EVENT_CHANNELS)[number];

export function isInvokeChannel(value: unknown): value is InvokeChannelName {
  return typeof value === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(value);
}

export function isEventChannel(value: unknown): value is EventChannelName {
  return typeof value === 'string' && (EVENT_CHANNELS as readonly string[]).includes(value);
}
