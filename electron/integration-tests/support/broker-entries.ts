/**
 * Desk config broker entries for the simulator's brokers as it reported them (name, port): our
 * CompID MERIDIAN, theirs the broker's name, short heartbeat and reconnect for tests. `extra` is
 * laid over each entry.
 */
export function brokerEntriesFor(
  brokers: ReadonlyArray<{ readonly name: string; readonly port: number }>,
  extra: Record<string, unknown> = {},
): Array<Record<string, unknown>> {
  return brokers.map((b) => ({
    name: b.name,
    host: '127.0.0.1',
    port: b.port,
    senderCompId: 'MERIDIAN',
    targetCompId: b.name,
    heartbeatSeconds: 5,
    reconnectSeconds: 0.2,
    ...extra,
  }));
}
