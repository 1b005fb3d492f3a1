/**
 * Connect REST "OAuth Usage" (API 59+): apps with OAuth usage, their users, a user's tokens,
 * and token deletion. Salesforce documents the resources and the collection names but we
 * could not check the exact property names of its output classes: the shapes below follow
 * Connect REST conventions (collections with `currentPageUrl`/`nextPageUrl`) and are
 * partly UNCONFIRMED (see README).
 */
import type { DataRequest, DataResponse } from '../data/seam';
import { restError } from '../http-util';
import { sfDateTime } from '../ids';
import type { Approval, Org } from '../org';

function page(query: URLSearchParams): { page: number; pageSize: number } | DataResponse {
  const p = query.get('page');
  const s = query.get('pageSize');
  const pageNo = p === null ? 0 : Number(p);
  const size = s === null ? 100 : Number(s);
  if (!Number.isInteger(pageNo) || pageNo < 0) return { status: 400, body: restError('INVALID_PARAMETER_VALUE', `Invalid parameter value "${p}" for parameter "page".`) };
  if (!Number.isInteger(size) || size < 1 || size > 1000) return { status: 400, body: restError('INVALID_PARAMETER_VALUE', `Invalid parameter value "${s}" for parameter "pageSize".`) };
  return { page: pageNo, pageSize: size };
}

function pageUrls(base: string, pageNo: number, pageSize: number, total: number): Record<string, string | null> {
  const url = (n: number): string => `${base}?page=${n}&pageSize=${pageSize}`;
  return {
    currentPageUrl: url(pageNo),
    nextPageUrl: (pageNo + 1) * pageSize < total ? url(pageNo + 1) : null,
    previousPageUrl: pageNo > 0 ? url(pageNo - 1) : null,
  };
}

function sameId(a: string, b: string): boolean {
  return a === b || (b.length >= 15 && a.slice(0, 15) === b.slice(0, 15));
}

function tokenEntry(org: Org, a: Approval, version: string): Record<string, unknown> {
  const app = org.apps.get(a.appId);
  return {
    tokenId: a.id,
    appId: a.appId,
    appName: app?.name ?? null,
    userId: a.userId,
    createdDate: sfDateTime(a.createdDate),
    lastUsedDate: sfDateTime(a.lastUsedDate),
    useCount: a.useCount,
    url: `/services/data/v${version}/apps/oauth/usage/tokens/${a.id}`,
  };
}

/** `path` is relative to `apps/oauth/usage`, without leading slash. */
export function handleOAuthUsage(org: Org, request: DataRequest, rest: string): DataResponse {
  const { user, version, method, query } = request;
  if (Number(version) < 59) return { status: 404, body: restError('NOT_FOUND', 'The requested resource does not exist') };
  if (!user.permissions.has('CustomizeApplication')) {
    return { status: 403, body: restError('INSUFFICIENT_ACCESS', "You don't have permission to view or manage OAuth usage. Ask your Salesforce admin for the Customize Application permission.") };
  }
  const base = `/services/data/v${version}/apps/oauth/usage`;
  const parts = rest.split('/').filter(Boolean);
  const findApp = (id: string) => [...org.apps.values()].find((a) => sameId(a.id, id));
  const notFound: DataResponse = { status: 404, body: restError('NOT_FOUND', 'The requested resource does not exist') };
  const notAllowed = (allowed: string): DataResponse => ({ status: 405, body: restError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`) });

  if (parts.length === 0) {
    if (method !== 'GET') return notAllowed('GET');
    const paging = page(query);
    if ('status' in paging) return paging;
    const withUsage = [...org.apps.values()].filter((a) => org.listApprovals({ appId: a.id }).length > 0);
    const slice = withUsage.slice(paging.page * paging.pageSize, (paging.page + 1) * paging.pageSize);
    return {
      status: 200,
      body: {
        apps: slice.map((a) => {
          const approvals = org.listApprovals({ appId: a.id });
          return {
            appId: a.id,
            name: a.name,
            developerName: a.developerName,
            appType: 'ConnectedApp',
            isInstalled: a.installed,
            userCount: new Set(approvals.map((x) => x.userId)).size,
            tokenCount: approvals.length,
            usersUrl: `${base}/${a.id}/users`,
          };
        }),
        ...pageUrls(base, paging.page, paging.pageSize, withUsage.length),
        total: withUsage.length,
      },
    };
  }

  if (parts[0] === 'tokens' && parts.length === 2) {
    if (method !== 'DELETE') return notAllowed('DELETE');
    const approval = [...org.approvals.values()].find((a) => sameId(a.id, parts[1]!));
    if (!approval) return notFound;
    org.revokeApproval(approval.id);
    return { status: 204 };
  }

  const app = findApp(parts[0]!);
  if (!app) return notFound;

  if (parts.length === 2 && parts[1] === 'users') {
    if (method !== 'GET') return notAllowed('GET');
    const paging = page(query);
    if ('status' in paging) return paging;
    const byUser = new Map<string, Approval[]>();
    for (const a of org.listApprovals({ appId: app.id })) byUser.set(a.userId, [...(byUser.get(a.userId) ?? []), a]);
    const users = [...byUser.entries()];
    const slice = users.slice(paging.page * paging.pageSize, (paging.page + 1) * paging.pageSize);
    return {
      status: 200,
      body: {
        appId: app.id,
        users: slice.map(([userId, approvals]) => {
          const u = org.users.get(userId);
          return {
            userId,
            username: u?.username ?? null,
            name: u ? `${u.firstName} ${u.lastName}` : null,
            tokenCount: approvals.length,
            lastUsedDate: sfDateTime(Math.max(...approvals.map((a) => a.lastUsedDate))),
            tokensUrl: `${base}/${app.id}/${userId}/tokens`,
          };
        }),
        ...pageUrls(`${base}/${app.id}/users`, paging.page, paging.pageSize, users.length),
        total: users.length,
      },
    };
  }

  if (parts.length === 2 && parts[1] === 'tokens') {
    if (method !== 'DELETE') return notAllowed('DELETE');
    for (const a of org.listApprovals({ appId: app.id })) org.revokeApproval(a.id);
    return { status: 204 };
  }

  if (parts.length === 3 && parts[2] === 'tokens') {
    const target = [...org.users.values()].find((u) => sameId(u.id, parts[1]!));
    if (!target) return notFound;
    const approvals = org.listApprovals({ appId: app.id, userId: target.id });
    if (method === 'DELETE') {
      for (const a of approvals) org.revokeApproval(a.id);
      return { status: 204 };
    }
    if (method !== 'GET') return notAllowed('GET, DELETE');
    return { status: 200, body: { appId: app.id, userId: target.id, tokens: approvals.map((a) => tokenEntry(org, a, version)), total: approvals.length } };
  }
  return notFound;
}
