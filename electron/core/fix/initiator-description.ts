import type { ISessionDescription } from 'jspurefix';
import type { BrokerConfig } from '../config/desk-config';
import { fixDialect } from './fix-dialect';

/**
 * The engine's session description for one broker. Config spelling is the engine's own
 * (SenderCompId but TargetCompID). Sub-IDs are left out: the engine skips empty fields.
 */
export function initiatorDescription(config: BrokerConfig, password: string | undefined): ISessionDescription {
  const dialect = fixDialect(config.fixVersion);
  return {
    application: {
      name: config.name,
      type: 'initiator',
      protocol: 'ascii',
      dictionary: dialect.dictionary,
      // Reconnection is ours (see fix-broker-connection.ts), not the engine's RecoveringTcpInitiator.
      resilient: false,
      reconnectSeconds: config.reconnectSeconds,
      tcp: { host: config.host, port: config.port },
    },
    Name: config.name,
    BeginString: dialect.beginString,
    ...(dialect.logon !== undefined && { Logon: { ...dialect.logon } }),
    SenderCompId: config.senderCompId,
    TargetCompID: config.targetCompId,
    SenderSubID: undefined as unknown as string,
    TargetSubID: undefined as unknown as string,
    HeartBtInt: config.heartbeatSeconds,
    ResetSeqNumFlag: config.resetSeqNumOnLogon,
    Username: config.username as string,
    Password: password as string,
  };
}
