/**
 * The Streaming API's CometD endpoint, `POST /cometd/<version>` on the instance host: the
 * Bayeux protocol over long polling, as jsforce's `conn.streaming` (faye) speaks it.
 *
 *   /meta/handshake   → clientId, ext {replay: true, payload.format: true}, advice {timeout, reconnect: retry}
 *   /meta/connect     → queued events, then the connect answer; with nothing queued the poll is
 *                       held up to `connectTimeoutMs` (Salesforce: 110 s). The first connect
 *                       after a handshake answers at once.
 *   /meta/subscribe   → `/data/<Object>ChangeEvent` or `/data/ChangeEvents`, with
 *                       ext.replay {channel: -1 | -2 | replayId}
 *   /meta/unsubscribe, /meta/disconnect
 * A client the server does not know (expired, dropped, another org) gets
 * `403::Unknown client` with advice reconnect=handshake, which makes faye handshake and
 * subscribe again. A missing or dead session gets `401::Authentication invalid` (handshake:
 * `403::Handshake denied`) with advice reconnect=none.
 *
 * UNCONFIRMED (wording and details modelled, not checked against Salesforce): the error texts
 * for an unknown channel and an invalid replay id; HTTP 200 for Bayeux-level failures; the
 * client expiry time; events per answer; that CometD calls do not count as API requests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Emulator } from '../emulator';
import { bearerToken, sendJson, sendText } from '../http-util';
import { SUPPORTED_VERSIONS } from '../rest/versions';
import { ChannelError, ReplayError, type Delivery, type OrgStream, type StreamClient } from './org-stream';

type Message = Record<string, unknown>;

export interface CometdOutcome {
  readonly status: number;
  readonly orgId?: string;
}

const CONNECTION_TYPES = ['long-polling'];

function reply(message: Message, fields: Message): Message {
  return { ...(message.id === undefined ? {} : { id: message.id }), channel: message.channel, ...fields };
}

function unknownClient(message: Message): Message {
  return reply(message, { clientId: message.clientId, successful: false, error: '403::Unknown client', advice: { reconnect: 'handshake', interval: 0 } });
}

export async function handleCometd(emulator: Emulator, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<CometdOutcome> {
  const match = /^\/cometd\/(\d+\.\d)\/?$/.exec(url.pathname);
  if (!match || !SUPPORTED_VERSIONS.has(match[1]!)) {
    sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    return { status: 404 };
  }
  if (req.method !== 'POST') {
    sendText(res, 405, 'CometD long polling takes POST requests.', 'text/plain;charset=UTF-8');
    return { status: 405 };
  }
  let messages: Message[];
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    messages = (Array.isArray(parsed) ? parsed : [parsed]) as Message[];
    if (messages.length === 0 || !messages.every((m) => m !== null && typeof m === 'object' && typeof m.channel === 'string')) throw new Error('not Bayeux');
  } catch {
    sendText(res, 400, 'The body must be a Bayeux message or an array of them (JSON).', 'text/plain;charset=UTF-8');
    return { status: 400 };
  }

  const token = bearerToken(req);
  const org = token ? emulator.orgForAccessToken(token) : undefined;
  const auth = org && token ? org.authenticate(token) : undefined;
  const stream = org ? emulator.streaming.stream(org.id) : undefined;
  if (!org || !auth || !stream) {
    const answers = messages.map((message) =>
      message.channel === '/meta/handshake'
        ? reply(message, { successful: false, error: '403::Handshake denied', ext: { sfdc: { failureReason: '401::Authentication invalid' } }, advice: { reconnect: 'none' } })
        : reply(message, { clientId: message.clientId, successful: false, error: '401::Authentication invalid', advice: { reconnect: 'none' } }),
    );
    sendJson(res, 200, answers);
    return { status: 200, ...(org ? { orgId: org.id } : {}) };
  }

  const answers: Message[] = [];
  let connect: { message: Message; client: StreamClient } | undefined;
  for (const message of messages) {
    const channel = message.channel as string;
    if (channel === '/meta/handshake') {
      const client = stream.handshake(auth.user.id);
      answers.push(
        reply(message, {
          version: '1.0',
          minimumVersion: '1.0',
          clientId: client.id,
          supportedConnectionTypes: CONNECTION_TYPES,
          successful: true,
          ext: { replay: true, 'payload.format': true },
          advice: { interval: 0, timeout: stream.settings.connectTimeoutMs, reconnect: 'retry' },
        }),
      );
      continue;
    }
    const client = stream.client(message.clientId);
    if (client === undefined || client.userId !== auth.user.id) {
      answers.push(unknownClient(message));
      continue;
    }
    stream.touch(client);
    switch (channel) {
      case '/meta/connect':
        connect = { message, client };
        break;
      case '/meta/subscribe':
        answers.push(...subscribe(stream, client, message));
        break;
      case '/meta/unsubscribe': {
        const channels = ([] as unknown[]).concat(message.subscription);
        for (const name of channels) stream.unsubscribeChannel(client, String(name));
        answers.push(reply(message, { clientId: client.id, subscription: message.subscription, successful: true }));
        break;
      }
      case '/meta/disconnect':
        client.held?.release('replaced');
        stream.forget(client);
        answers.push(reply(message, { clientId: client.id, successful: true }));
        break;
      default:
        answers.push(reply(message, { clientId: client.id, successful: false, error: `403::Publish denied` }));
    }
  }

  if (connect === undefined) {
    sendJson(res, 200, answers);
    return { status: 200, orgId: org.id };
  }
  const outcome = await longPoll(stream, connect.client, connect.message, res);
  if (outcome === 'gone') return { status: 0, orgId: org.id };
  sendJson(res, 200, [...answers, ...outcome]);
  return { status: 200, orgId: org.id };
}

function subscribe(stream: OrgStream, client: StreamClient, message: Message): Message[] {
  const channels = ([] as unknown[]).concat(message.subscription).map(String);
  const replayMap = (message.ext as { replay?: Record<string, unknown> } | undefined)?.replay ?? {};
  return channels.map((channel) => {
    try {
      stream.subscribe(client, channel, replayMap[channel]);
      return reply(message, { clientId: client.id, subscription: channel, successful: true });
    } catch (error) {
      if (error instanceof ChannelError) {
        return reply(message, { clientId: client.id, subscription: channel, successful: false, error: `400::The channel you requested to subscribe to does not exist {${channel}}` });
      }
      if (error instanceof ReplayError) {
        return reply(message, {
          clientId: client.id,
          subscription: channel,
          successful: false,
          error: `400::The replayId {${error.message}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
        });
      }
      throw error;
    }
  });
}

/**
 * Answers a /meta/connect with what is queued, or holds it until events arrive, the timeout
 * passes or the client is forgotten. Events leave the queue only when the answer is written.
 */
function longPoll(stream: OrgStream, client: StreamClient, message: Message, res: ServerResponse): Promise<Message[] | 'gone'> {
  const advice = { interval: 0, timeout: stream.settings.connectTimeoutMs, reconnect: 'retry' };
  const connected = () => reply(message, { clientId: client.id, successful: true, advice });
  const take = (): Message[] => {
    const batch: Delivery[] = client.queue.splice(0, stream.settings.maxEventsPerConnect);
    return batch.map((delivery) => ({ channel: delivery.channel, data: delivery.data }));
  };
  client.held?.release('replaced');
  client.connects += 1;
  if (client.connects === 1 || client.queue.length > 0) return Promise.resolve([...take(), connected()]);

  return new Promise((resolve) => {
    let done = false;
    const finish = (reason: 'events' | 'timeout' | 'unknown-client' | 'replaced' | 'closing') => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      res.off('close', onClose);
      if (client.held === held) client.held = undefined;
      stream.touch(client);
      if (res.destroyed || res.writableEnded) {
        resolve('gone');
        return;
      }
      resolve(reason === 'unknown-client' || reason === 'closing' ? [unknownClient(message)] : [...take(), connected()]);
    };
    const held = { release: finish };
    const timer = setTimeout(() => finish('timeout'), stream.settings.connectTimeoutMs);
    // The client hung up (network drop, process killed): nothing is taken from its queue.
    const onClose = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (client.held === held) client.held = undefined;
      resolve('gone');
    };
    res.on('close', onClose);
    client.held = held;
  });
}
