// @ts-check
/**
 * Server-Sent Events read with fetch() and a stream reader, because EventSource cannot send an Authorization
 * header (and a token in a URL ends up in logs). Reconnects by itself with back-off, resuming after the last
 * event id it saw (`Last-Event-ID` and `?after=`), so no event is missed across a drop.
 */
import { session, toApiError, ApiError } from './api.js';

/** No bytes for this long (the server sends a comment every 15 s) means the connection is dead. */
const SILENCE_MS = 40_000;

/**
 * @typedef {{ id: string | undefined, event: string, data: string }} SseMessage
 * @param {{ url: string, after?: string, onMessage: (m: SseMessage) => void, onState: (state: 'connecting' | 'live' | 'reconnecting' | 'stopped', error?: Error) => void }} options
 */
export function openEventStream(options) {
  let lastId = options.after;
  let stopped = false;
  /** @type {AbortController | undefined} */
  let controller;
  let retryMs = 1_000;
  let backoff = 0;

  async function connectOnce() {
    controller = new AbortController();
    const signal = controller.signal;
    /** @type {Record<string, string>} */
    const headers = { accept: 'text/event-stream', authorization: `Bearer ${session.token ?? ''}` };
    if (lastId !== undefined) headers['last-event-id'] = lastId;
    const url = lastId === undefined ? options.url : `${options.url}${options.url.includes('?') ? '&' : '?'}after=${encodeURIComponent(lastId)}`;
    const res = await fetch(url, { headers, cache: 'no-store', signal });
    if (!res.ok || !res.body) throw await toApiError(res);
    options.onState('live');
    backoff = 0;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let watchdog = setTimeout(() => controller?.abort(), SILENCE_MS);
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        clearTimeout(watchdog);
        watchdog = setTimeout(() => controller?.abort(), SILENCE_MS);
        buffer += value;
        let end;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + (buffer[end] === '\r' ? 4 : 2));
          dispatch(frame);
        }
      }
    } finally {
      clearTimeout(watchdog);
    }
  }

  /** @param {string} frame */
  function dispatch(frame) {
    /** @type {SseMessage} */
    const message = { id: undefined, event: 'message', data: '' };
    const data = [];
    for (const line of frame.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') message.id = value;
      else if (field === 'event') message.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Math.max(500, Number(value));
    }
    if (data.length === 0) return;
    message.data = data.join('\n');
    options.onMessage(message);
    // Only after the message was handled: a crash in between replays it rather than losing it.
    if (message.id !== undefined) lastId = message.id;
  }

  (async () => {
    options.onState('connecting');
    while (!stopped) {
      try {
        await connectOnce();
      } catch (error) {
        if (stopped) break;
        // Refused credentials will not get better by retrying.
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
          stopped = true;
          options.onState('stopped', error);
          return;
        }
      }
      if (stopped) break;
      options.onState('reconnecting');
      backoff = backoff === 0 ? retryMs : Math.min(backoff * 2, 15_000);
      await new Promise((resolve) => setTimeout(resolve, backoff * (0.75 + Math.random() / 2)));
    }
    options.onState('stopped');
  })();

  return {
    get lastEventId() {
      return lastId;
    },
    close() {
      stopped = true;
      controller?.abort();
    },
  };
}
