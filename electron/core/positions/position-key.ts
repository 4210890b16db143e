/** A position is an account's holding of one instrument: `account|instrumentId` (an instrument id never holds '|'). */
export function positionKey(account: string, instrumentId: string): string {
  return `${account}|${instrumentId}`;
}
