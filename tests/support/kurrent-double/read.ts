/**
 * Streams.Read of the test double: one stream or $all, read once or subscribed to (catch-up then live).
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import googleTimestamp from 'google-protobuf/google/protobuf/timestamp_pb.js';
import type { InMemoryLog, StoredEvent } from './in-memory-log.js';
import { filterOf, readEvent, streamIdentifier, streamName, streamsPb } from './wire.js';

type ReadReq = InstanceType<typeof streamsPb.ReadReq>;
type ReadResp = InstanceType<typeof streamsPb.ReadResp>;
type ReadOptions = InstanceType<typeof streamsPb.ReadReq.Options>;
type ReadCall = grpc.ServerWritableStream<ReadReq, ReadResp>;

const { ReadDirection, StreamOptionCase } = streamsPb.ReadReq.Options;

export function handleRead(log: InMemoryLog, call: ReadCall, subscriptions: Set<grpc.ServerWritableStream<unknown, unknown>>): void {
  const options = call.request.getOptions();
  if (!options) return fail(call, grpc.status.INVALID_ARGUMENT, 'a read without options');
  if (options.getStreamOptionCase() === StreamOptionCase.STREAM) {
    if (options.hasSubscription()) return fail(call, grpc.status.UNIMPLEMENTED, 'stream subscriptions are not part of the test double');
    return readStream(log, call, options);
  }
  if (options.hasSubscription()) return subscribeToAll(log, call, options, subscriptions);
  return readAll(log, call, options);
}

function fail(call: ReadCall, code: grpc.status, details: string): void {
  call.emit('error', { code, details });
}

function limit(options: ReadOptions): number {
  // The count is a uint64 on the wire; the clients send "unlimited" as the largest value.
  const count = BigInt(options.getCount() || '0');
  return count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
}

function send(call: ReadCall, events: Iterable<StoredEvent>, options: ReadOptions): void {
  for (const event of events) call.write(readEvent(event, options));
}

function readStream(log: InMemoryLog, call: ReadCall, options: ReadOptions): void {
  const streamOptions = options.getStream()!;
  const name = streamName(streamOptions.getStreamIdentifier());
  const stream = log.stream(name);
  if (!stream) {
    call.write(new streamsPb.ReadResp().setStreamNotFound(new streamsPb.ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name))));
    call.end();
    return;
  }
  const backwards = options.getReadDirection() === ReadDirection.BACKWARDS;
  const last = BigInt(stream.length - 1);
  // `start` is revision 0 and `end` is the last revision, whichever the direction.
  const from = streamOptions.hasRevision() ? BigInt(streamOptions.getRevision()) : streamOptions.hasEnd() ? (backwards ? last : last + 1n) : 0n;
  const selected = backwards ? stream.filter((e) => e.revision <= from).reverse() : stream.filter((e) => e.revision >= from);
  send(call, selected.slice(0, limit(options)), options);
  call.end();
}

/** Events of $all from where the options say, in the direction they say, before filtering and counting. */
function range(log: InMemoryLog, options: ReadOptions, backwards: boolean): StoredEvent[] {
  const all = options.getAll()!;
  const events = log.all();
  if (all.hasPosition()) {
    const position = BigInt(all.getPosition()!.getCommitPosition());
    // The log reader reads forwards from a record's position inclusive, backwards from before it.
    return backwards ? events.filter((e) => e.position < position).reverse() : events.filter((e) => e.position >= position);
  }
  const fromEnd = all.hasEnd();
  if (backwards) return fromEnd ? [...events].reverse() : [];
  return fromEnd ? [] : [...events];
}

function readAll(log: InMemoryLog, call: ReadCall, options: ReadOptions): void {
  const backwards = options.getReadDirection() === ReadDirection.BACKWARDS;
  const passes = filterOf(options);
  send(call, range(log, options, backwards).filter(passes).slice(0, limit(options)), options);
  call.end();
}

function subscribeToAll(log: InMemoryLog, call: ReadCall, options: ReadOptions, subscriptions: Set<grpc.ServerWritableStream<unknown, unknown>>): void {
  const passes = filterOf(options);
  const all = options.getAll()!;
  const after = all.hasPosition() ? BigInt(all.getPosition()!.getCommitPosition()) : undefined;
  call.write(new streamsPb.ReadResp().setConfirmation(new streamsPb.ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
  // Catch-up and going live happen in one synchronous step: no append can slip in between them.
  const catchUp = all.hasEnd() ? [] : log.all().filter((e) => (after === undefined || e.position > after) && passes(e));
  send(call, catchUp, options);
  call.write(new streamsPb.ReadResp().setCaughtUp(new streamsPb.ReadResp.CaughtUp().setTimestamp(googleTimestamp.Timestamp.fromDate(new Date()))));
  const unlisten = log.onWritten((event) => {
    if (passes(event)) call.write(readEvent(event, options));
  });
  subscriptions.add(call as grpc.ServerWritableStream<unknown, unknown>);
  const release = () => {
    unlisten();
    subscriptions.delete(call as grpc.ServerWritableStream<unknown, unknown>);
  };
  call.on('cancelled', release);
  call.on('close', release);
  call.on('error', release);
}
