/**
 * Conversions between the double's log and the protobuf messages of the KurrentDB gRPC protocol, using the
 * classes generated inside the client package itself: google-protobuf registers message types in one
 * process-wide namespace, so the double and the client must share the very same generated modules.
 */
import sharedPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb.js';
import streamsPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js';
import type { ExpectedState, ProposedEvent, StoredEvent } from './in-memory-log.js';

export { sharedPb, streamsPb };

const { ReadReq, ReadResp, AppendReq } = streamsPb;
type ReadReqOptions = InstanceType<typeof ReadReq.Options>;
type ReadRespEvent = InstanceType<typeof ReadResp.ReadEvent>;
type ProposedMessage = InstanceType<typeof AppendReq.ProposedMessage>;
type AppendOptions = InstanceType<typeof AppendReq.Options>;
type Uuid = InstanceType<typeof sharedPb.UUID>;

export function streamName(identifier: InstanceType<typeof sharedPb.StreamIdentifier> | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

export function streamIdentifier(name: string): InstanceType<typeof sharedPb.StreamIdentifier> {
  return new sharedPb.StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

/** Event ids arrive as strings from the Node client and as two int64 halves from other clients. */
export function parseUuid(uuid: Uuid | undefined): string {
  if (!uuid) throw new Error('an event without an id');
  if (uuid.hasStructured()) {
    const s = uuid.getStructured()!;
    const hex = (v: string) => BigInt.asUintN(64, BigInt(v)).toString(16).padStart(16, '0');
    const ms = hex(s.getMostSignificantBits());
    const ls = hex(s.getLeastSignificantBits());
    return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-${ms.slice(12)}-${ls.slice(0, 4)}-${ls.slice(4)}`;
  }
  return uuid.getString();
}

function uuidFor(id: string, structured: boolean): Uuid {
  const uuid = new sharedPb.UUID();
  if (!structured) return uuid.setString(id);
  const hex = id.replaceAll('-', '');
  const half = (h: string) => BigInt.asIntN(64, BigInt(`0x${h}`)).toString();
  return uuid.setStructured(new sharedPb.UUID.Structured().setMostSignificantBits(half(hex.slice(0, 16))).setLeastSignificantBits(half(hex.slice(16))));
}

export function expectedState(options: AppendOptions): ExpectedState {
  if (options.hasRevision()) return { kind: 'revision', revision: BigInt(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

export function proposedEvent(message: ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    eventId: parseUuid(message.getId()),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

export function readEvent(event: StoredEvent, options: ReadReqOptions): InstanceType<typeof ReadResp> {
  const structured = options.getUuidOption()?.hasStructured() ?? false;
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidFor(event.eventId, structured))
    .setStreamIdentifier(streamIdentifier(event.streamId))
    .setStreamRevision(event.revision.toString())
    .setPreparePosition(event.position.toString())
    .setCommitPosition(event.position.toString())
    .setData(event.data)
    .setCustomMetadata(event.customMetadata);
  recorded.getMetadataMap().set('type', event.type).set('content-type', event.contentType).set('created', event.createdTicks.toString());
  const read: ReadRespEvent = new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(event.position.toString());
  return new ReadResp().setEvent(read);
}

/** The server-side filter of a $all read or subscription: one expression on stream names or event types. */
export function filterOf(options: ReadReqOptions): (event: StoredEvent) => boolean {
  if (!options.hasFilter()) return () => true;
  const filter = options.getFilter()!;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier()! : filter.getEventType()!;
  const prefixes = expression.getPrefixList();
  // The server evaluates .NET regular expressions; JavaScript's agree for the anchored alternations used here.
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  return (event) => {
    const subject = onStream ? event.streamId : event.type;
    if (prefixes.length > 0 && !prefixes.some((p) => subject.startsWith(p))) return false;
    if (regex && !regex.test(subject)) return false;
    return true;
  };
}
