import type { ISessionDescription } from 'jspurefix';
import type { BrokerConfig } from '../../core/config/desk-config';
import { fixDialect } from '../../core/fix/fix-dialect';

/**
 * A jspurefix session description for one broker, for what drives that engine: the benchmarks' bare
 * initiator (the desk's own sessions run on fix-session.ts; jspurefix is a devDependency). Config
 * spelling is the engine's own (SenderCompId but TargetCompID). Sub-IDs are left out: the engine
 * skips empty fields.
 */
export function initiatorDescription(config: BrokerConfig, password: string | undefined): ISessionDescription {
  const dialect = fixDialect(config.fixVersion);
  return {
    application: {
      name: config.name,
      type: 'initiator',
      protocol: 'ascii',
      dictionary: dialect.dictionary,
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
