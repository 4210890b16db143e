import { checkServerIdentity } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';
import type { TlsConfig } from '../config/desk-config';

/**
 * Node TLS options from the broker's `tls` config: PEM contents, inline or from environment
 * variables. We open the TLS socket ourselves (jspurefix would join PEM file paths onto its own
 * package folder). Throws a clear error when a named variable is missing.
 */
export function tlsConnectOptions(tls: TlsConfig, host: string, env: NodeJS.ProcessEnv): ConnectionOptions {
  const read = (inline: string | undefined, envName: string | undefined, what: string): string | undefined => {
    if (inline !== undefined) return inline;
    if (envName === undefined) return undefined;
    const value = env[envName];
    if (value === undefined || value === '') throw new Error(`TLS ${what}: environment variable ${envName} is not set`);
    return value;
  };
  const ca = read(tls.caPem, tls.caPemEnv, 'CA certificate');
  const cert = read(tls.certPem, tls.certPemEnv, 'client certificate');
  const key = read(tls.keyPem, tls.keyPemEnv, 'client key');
  const passphrase = read(undefined, tls.keyPassphraseEnv, 'key passphrase');
  const serverName = tls.serverName ?? host;
  return {
    ...(ca !== undefined && { ca }),
    ...(cert !== undefined && { cert }),
    ...(key !== undefined && { key }),
    ...(passphrase !== undefined && { passphrase }),
    rejectUnauthorized: tls.rejectUnauthorized,
    // SNI must not be an IP address; the certificate check still uses serverName/host.
    ...(!/^[\d.:]+$/.test(serverName) && { servername: serverName }),
    // The certificate is checked against serverName (default: the host we dial).
    checkServerIdentity: (_hostname, certificate) => checkServerIdentity(serverName, certificate),
  };
}
