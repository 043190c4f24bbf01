import type { FastifyReply } from 'fastify';

/** Sends rows as CSV for analysts (`?format=csv`), as a download named for what it holds. */
export function sendCsv(reply: FastifyReply, filename: string, csv: string): FastifyReply {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}.csv"`)
    .send(csv);
}
