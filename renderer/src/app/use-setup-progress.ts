import { invoke } from '../bridge';
import { useLive } from './use-live';

export interface SetupProgress {
  readonly loading: boolean;
  readonly connections: number;
  readonly usableConnections: number;
  readonly sites: number;
  readonly connectedSites: number;
}

/** How far the admin has got (connections, sites), so empty pages can name the next step. */
export function useSetupProgress(): SetupProgress {
  const connections = useLive(() => invoke('connections:list', {}), 'connections:changed');
  const sites = useLive(() => invoke('sites:list', {}), 'sites:changed');
  const connectionList = connections.data ?? [];
  const siteList = sites.data ?? [];
  return {
    loading: connections.data === undefined || sites.data === undefined ? connections.loading || sites.loading : false,
    connections: connectionList.length,
    usableConnections: connectionList.filter((connection) => connection.state.kind === 'connected').length,
    sites: siteList.length,
    connectedSites: siteList.filter((site) => site.connectionId !== null).length,
  };
}
