import { HruError } from '@hru/events';

/**
 * The target log holds something the source does not, at the place named: another log's events, or events written
 * there since a copy began. A migration never writes over or beside them; the operator chooses an empty target.
 */
export class MigrationRefusedError extends HruError {
  constructor(message: string, details: { streamId?: string; revision?: number; eventsCompared: number }) {
    super('concurrency_conflict', message, details);
  }
}
