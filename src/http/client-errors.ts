import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';

/** Status for a request Node's parser refused, by its error code. */
function statusFor(code: string | undefined): { status: number; reason: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, reason: 'Request Header Fields Too Large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, reason: 'Request Timeout' };
    default:
      return { status: 400, reason: 'Bad Request' };
  }
}

/**
 * Answers bytes that are not HTTP (a malformed request line, a bad header, a client that reset
 * the connection) with a 400-class answer in the project's error shape and closes that socket;
 * nothing else is affected. Node's default answers too, but logs nothing and cannot be watched.
 *
 * @example
 * const server = createServer(app);
 * answerClientErrors(server, logger);
 */
export function answerClientErrors(server: Server, logger: Logger): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    // A reset or a socket that is gone has no one to answer.
    if (error.code === 'ECONNRESET' || !socket.writable || responseStarted(socket)) {
      socket.destroy();
      return;
    }
    const { status, reason } = statusFor(error.code);
    logger.debug({ code: error.code ?? 'unknown', status }, 'refused bytes that are not an HTTP request');
    const body = JSON.stringify({ error: { code: status, message: reason.toLowerCase() } });
    socket.end(
      [
        `HTTP/1.1 ${status} ${reason}`,
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
      () => socket.destroy(),
    );
  });
}

/** Whether an answer to an earlier request on this socket is being written (Node's own check). */
function responseStarted(socket: Duplex): boolean {
  const message: unknown = Reflect.get(socket, '_httpMessage');
  return typeof message === 'object' && message !== null && Reflect.get(message, 'headersSent') === true;
}
