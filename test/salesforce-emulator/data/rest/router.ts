/** Dispatches a `/services/data/vXX.X/...` request to its resource handler. */
import { notFound } from '../errors';
import { urlBase, type OrgState } from '../org-state';
import type { DataRequest, DataResponse } from '../seam';
import { handleIngest } from './bulk-ingest';
import { handleQueryJobs } from './bulk-query';
import { handleCollections } from './collections';
import { handleComposite } from './composite';
import { decodeSegment, errorResponse, json, methodNotAllowed } from './http';
import { queryMore, runQuery } from './query';
import { handleSObjects } from './sobjects';

function route(org: OrgState, request: DataRequest): DataResponse {
  const segments = request.path.split('?')[0]!.split('/').filter((s) => s !== '').map(decodeSegment);
  const [head, ...rest] = segments;
  switch (head) {
    case undefined: {
      const base = urlBase(request.version);
      return json(200, {
        sobjects: `${base}/sobjects`, query: `${base}/query`, queryAll: `${base}/queryAll`, composite: `${base}/composite`, jobs: `${base}/jobs`,
      });
    }
    case 'sobjects':
      return handleSObjects(org, request, rest);
    case 'query':
    case 'queryAll': {
      if (request.method !== 'GET') throw methodNotAllowed(request.method, ['GET', 'HEAD']);
      if (rest.length === 0) return runQuery(org, request, head === 'queryAll');
      if (rest.length === 1) return queryMore(org, request, rest[0] as string);
      throw notFound();
    }
    case 'composite':
      if (rest[0] === 'sobjects') return handleCollections(org, request, rest.slice(1));
      if (rest.length === 0) return handleComposite(org, request, dispatch);
      throw notFound();
    case 'jobs':
      if (rest[0] === 'ingest') return handleIngest(org, request, rest.slice(1));
      if (rest[0] === 'query') return handleQueryJobs(org, request, rest.slice(1));
      throw notFound();
    default:
      throw notFound();
  }
}

export function dispatch(org: OrgState, request: DataRequest): DataResponse {
  try {
    return route(org, request);
  } catch (error) {
    // ApiError/DmlFailure become Salesforce error bodies; anything else is a bug the core turns into a 500.
    return errorResponse(error);
  }
}
