// reflect-metadata must be loaded before jspurefix (its DI decorators run at load time).
import 'reflect-metadata';
import { AsciiSessionMsgFactory, DefinitionFactory, JsFixConfig, JsFixLoggerFactory, SessionContainer } from 'jspurefix';
import type { FixDefinitions, IJsFixConfig, IJsFixLogger, ISessionDescription, JsFixLogFields } from 'jspurefix';
import type { Logger } from '../../core/log/logger';

// jspurefix runs in tests and benchmarks only (the interoperability test, the dictionary cross-check,
// the baseline initiator): it is a devDependency, and nothing the desk runs imports it
// (electron/runtime-imports.test.ts).

/**
 * The FIX 4.4 dictionary we load: QuickFIX's FIX44.xml. It loads in well under a second, needs no
 * postinstall unpacking (unlike the repo44 FIX-repository dictionary) and is shared by every session.
 */
export const FIX44_DICTIONARY = 'qf44';

/** The FIX field delimiter, as the engine wants it: a char code. */
const SOH = 0x01;

const definitions = new Map<string, Promise<FixDefinitions>>();

/** Parses a dictionary once per process; every session of that version shares it. */
export function loadDefinitions(dictionary: string = FIX44_DICTIONARY): Promise<FixDefinitions> {
  let loaded = definitions.get(dictionary);
  if (loaded === undefined) {
    loaded = new DefinitionFactory().getDefinitions(dictionary);
    loaded.catch(() => definitions.delete(dictionary));
    definitions.set(dictionary, loaded);
  }
  return loaded;
}

/**
 * Builds an engine configuration with its own DI scope (transmitter, parser, buffers), as
 * SessionLauncher does, but with a shared dictionary and our logger.
 */
export async function makeSessionConfig(description: ISessionDescription, log: Logger): Promise<IJsFixConfig> {
  const defs = await loadDefinitions(description.application?.dictionary ?? FIX44_DICTIONARY);
  const logFactory = new EngineLogFactory(log);
  const containers = new SessionContainer();
  // Registers the dictionary loader, the logger factory and the buffer class in the engine's global scope.
  containers.registerGlobal(logFactory);
  const scope = containers.newChild(description);
  const config = new JsFixConfig(new AsciiSessionMsgFactory(description), defs, description, SOH, logFactory);
  containers.registerSession(config, scope);
  return config;
}

/** Routes the engine's (chatty, per-message) logging to our logger at debug level. */
export class EngineLogFactory extends JsFixLoggerFactory {
  constructor(private readonly log: Logger) {
    super();
  }

  logger(type: string, _context?: JsFixLogFields): IJsFixLogger {
    const log = this.log;
    return {
      info: (message) => log.debug(maskSecrets(message), { engine: type }),
      debug: (message) => log.debug(maskSecrets(message), { engine: type }),
      warning: (message) => log.debug(maskSecrets(message), { engine: type, engineLevel: 'warning' }),
      error: (e) => log.debug(maskSecrets(e instanceof Error ? e.message : String(e)), { engine: type, engineLevel: 'error' }),
    };
  }

  plain(fileName: string, _maxSize?: number): IJsFixLogger {
    return this.logger(fileName);
  }
}

/** The engine may echo message text: never let a Password (554) or NewPassword (925) through. */
function maskSecrets(text: string): string {
  return text.includes('554=') || text.includes('925=') ? text.replace(/(^|[^0-9])(554|925)=[^|\x01\s]*/g, '$1$2=***') : text;
}
