import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { FixSplitter, frame } from './fix-wire';

/**
 * The listening side of the bench's own FIX counterparties: one connection at a time on 127.0.0.1
 * (a new one replaces the old), its byte stream split into messages for `onMessage`. Prints the
 * ready line `{"event":"ready","port":N}` once listening.
 */
export function serveOneCounterparty(onMessage: (fields: Map<string, string>) => void, onSocket: (socket: Socket | undefined) => void): void {
  let current: Socket | undefined;
  const server = createServer((s) => {
    s.setNoDelay(true);
    current?.destroy();
    current = s;
    onSocket(s);
    const splitter = new FixSplitter();
    s.setEncoding('latin1');
    s.on('data', (chunk: string) => {
      for (const m of splitter.push(chunk)) onMessage(m);
    });
    s.on('error', () => {});
    s.on('close', () => {
      if (current !== s) return;
      current = undefined;
      onSocket(undefined);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(JSON.stringify({ event: 'ready', port: typeof address === 'object' && address !== null ? address.port : 0 }) + '\n');
  });
}

/** Answers a TestRequest (Heartbeat with its TestReqID) or a Logout (Logout, then the socket ends); false for anything else. */
export function answerSessionMessage(fields: Map<string, string>, header: (msgType: string) => string, socket: Socket | undefined): boolean {
  const send = (text: string) => socket !== undefined && !socket.destroyed && socket.write(text, 'latin1');
  switch (fields.get('35')) {
    case '1':
      send(frame(header('0') + `112=${fields.get('112') ?? ''}\x01`));
      return true;
    case '5':
      send(frame(header('5')));
      socket?.end();
      return true;
    default:
      return false;
  }
}
