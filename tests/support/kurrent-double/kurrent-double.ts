/**
 * TEST CODE ONLY: an in-process gRPC server that speaks enough of the KurrentDB v1 protocol for the
 * KurrentDB adapter to run the event-store contract suite where no KurrentDB server can run. It is built
 * from the service definitions generated inside @kurrent/kurrentdb-client, the package the adapter uses.
 *
 * What it reproduces: Streams.Append (every expected-state kind; a wrong expected version answered as
 * `AppendResp.wrongExpectedVersion`; idempotent retries by event id at the expected position, KurrentDB's
 * rule), Streams.Read of one stream and of $all in both directions from a revision/position (forwards
 * inclusive, backwards exclusive of the position, as the server's log reader), stream-not-found,
 * catch-up-then-live $all subscriptions (start exclusive of the given position) with stream-name and
 * event-type filters by prefix or regex, and `$`-prefixed system events written between client writes.
 * ServerFeatures answers UNIMPLEMENTED, so the client stays on the plain client-streaming Append.
 * For tamper-evidence tests, `log.tamperWith` and `log.tamperRemove` change the stored events directly,
 * as someone with write access to the server's files could.
 *
 * What it does NOT reproduce: racing writers are serialised by one Node event loop (the two-process race
 * test exercises two client processes against one log, not the server's own concurrency); explicit
 * transactions (commit position = prepare position for every event here); checkpoints and `fellBehind`
 * in filtered subscriptions; subscriptions to a single stream; delete, tombstone, stream metadata ($maxAge,
 * $maxCount, truncation) and scavenging; BatchAppend and the v2 protocol; gossip, clusters, leader changes
 * and NotLeader; TLS, authentication and ACLs; size limits (max append size, max record size); deadlines
 * and keep-alive; back-pressure on the server's writes (a subscriber's messages are buffered in memory).
 */
import * as grpc from '@grpc/grpc-js';
import featuresGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb.js';
import streamsGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb.js';
import { InMemoryLog, type ProposedEvent } from './in-memory-log.js';
import { handleRead } from './read.js';
import { expectedState, proposedEvent, sharedPb, streamName, streamsPb } from './wire.js';

type AppendReq = InstanceType<typeof streamsPb.AppendReq>;
type AppendResp = InstanceType<typeof streamsPb.AppendResp>;

export interface KurrentDouble {
  readonly connectionString: string;
  readonly log: InMemoryLog;
  /** Ends every open subscription with UNAVAILABLE, as a server restart or leader change would; returns how many. */
  dropSubscriptions(): number;
  /**
   * The next `count` calls of a kind answer UNAVAILABLE, as a server does while it restarts or loses its
   * leadership (and as the client reports a call lost in its own reconnection): a `read` (of a stream or
   * of $all, not a subscription) or an `append` refused before anything is written, or an `append-answer`
   * whose events are written and whose answer is lost.
   */
  refuseNext(kind: RefusedCall, count?: number): void;
  /** How many calls of a kind were refused so far. */
  refused(kind: RefusedCall): number;
  stop(): Promise<void>;
}

export type RefusedCall = 'read' | 'append' | 'append-answer';

export async function startKurrentDouble(): Promise<KurrentDouble> {
  const log = new InMemoryLog();
  // A fresh server already holds system events before any client writes.
  log.writeSystemEvent('$$$settings', '$metadata', { $acl: { $r: '$all' } });
  log.writeSystemEvent('$scavenges', '$scavengeIndexInitialized', {});
  const subscriptions = new Set<grpc.ServerWritableStream<unknown, unknown>>();
  const refusals: Record<RefusedCall, number> = { read: 0, append: 0, 'append-answer': 0 };
  const refusedSoFar: Record<RefusedCall, number> = { read: 0, append: 0, 'append-answer': 0 };
  const refuse = (kind: RefusedCall): boolean => {
    if (refusals[kind] === 0) return false;
    refusals[kind]--;
    refusedSoFar[kind]++;
    return true;
  };

  const server = new grpc.Server();
  server.addService(featuresGrpc.ServerFeaturesService, {
    getSupportedMethods: (_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) =>
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'the test double advertises no optional features' }),
  });
  server.addService(streamsGrpc.StreamsService, {
    read: (call: grpc.ServerWritableStream<InstanceType<typeof streamsPb.ReadReq>, InstanceType<typeof streamsPb.ReadResp>>) => {
      if (!call.request.getOptions()?.hasSubscription() && refuse('read')) return call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'the double refused the read' });
      handleRead(log, call, subscriptions);
    },
    append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) => {
      if (refuse('append')) return callback({ code: grpc.status.UNAVAILABLE, details: 'the double refused the append' });
      if (!refuse('append-answer')) return append(log, call, callback);
      // Written, then the answer is lost on the way back.
      append(log, call, (error) => callback(error ?? { code: grpc.status.UNAVAILABLE, details: 'the double lost the append answer' }));
    },
    delete: unimplemented,
    tombstone: unimplemented,
    batchAppend: (call: grpc.ServerDuplexStream<unknown, unknown>) =>
      call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'BatchAppend is not part of the test double' }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    connectionString: `kurrentdb://127.0.0.1:${port}?tls=false`,
    log,
    refuseNext(kind, count = 1) {
      refusals[kind] = count;
    },
    refused: (kind) => refusedSoFar[kind],
    dropSubscriptions() {
      const dropped = subscriptions.size;
      for (const call of subscriptions) call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'the double dropped the subscription' });
      subscriptions.clear();
      return dropped;
    },
    async stop() {
      // forceShutdown: a graceful shutdown would wait for live subscriptions that never end on their own.
      server.forceShutdown();
    },
  };
}

function unimplemented(_call: unknown, callback: grpc.sendUnaryData<unknown>): void {
  callback({ code: grpc.status.UNIMPLEMENTED, details: 'not part of the test double' });
}

function append(log: InMemoryLog, call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>): void {
  let options: InstanceType<typeof streamsPb.AppendReq.Options> | undefined;
  const proposed: ProposedEvent[] = [];
  let failed = false;
  call.on('data', (request: AppendReq) => {
    try {
      if (request.hasOptions()) options = request.getOptions();
      else if (request.hasProposedMessage()) proposed.push(proposedEvent(request.getProposedMessage()!));
    } catch (error) {
      failed = true;
      callback({ code: grpc.status.INVALID_ARGUMENT, details: String(error) });
    }
  });
  call.on('error', () => (failed = true));
  call.on('end', () => {
    if (failed) return;
    if (!options) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'the append did not start with its options' });
    const stream = streamName(options.getStreamIdentifier());
    const outcome = log.append(stream, expectedState(options), proposed);
    const response = new streamsPb.AppendResp();
    if (outcome.ok) {
      const position = new streamsPb.AppendResp.Position()
        .setCommitPosition(outcome.position.toString())
        .setPreparePosition(outcome.position.toString());
      response.setSuccess(new streamsPb.AppendResp.Success().setCurrentRevision(outcome.currentRevision.toString()).setPosition(position));
    } else {
      // Not a gRPC error: the server answers a failed optimistic-concurrency check as a normal response.
      const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
      if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new sharedPb.Empty());
      else wrong.setCurrentRevision(outcome.current.toString());
      const expected = outcome.expected;
      if (expected.kind === 'revision') wrong.setExpectedRevision(expected.revision.toString());
      else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new sharedPb.Empty());
      else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new sharedPb.Empty());
      else wrong.setExpectedAny(new sharedPb.Empty());
      response.setWrongExpectedVersion(wrong);
    }
    callback(null, response);
  });
}
