import { parseArgs } from 'node:util';
import { startBitwardenEmulator, type BitwardenEmulator, type EmulatorMode } from './emulator';

/** Parses the CLI's flags, starts the emulator and writes its one-line JSON description. */
export async function runCli(
  args: string[],
  writeLine: (line: string) => void,
): Promise<BitwardenEmulator> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '0' },
      mode: { type: 'string', default: 'cloud' },
      seats: { type: 'string' },
      'state-file': { type: 'string' },
      'organization-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'staged-status': { type: 'boolean', default: false },
      'vaultwarden-groups': { type: 'boolean', default: false },
      'page-size': { type: 'string' },
    },
  });
  const mode = values.mode as EmulatorMode;
  if (!['cloud', 'selfhosted', 'vaultwarden'].includes(mode)) {
    throw new Error(`--mode must be cloud, selfhosted or vaultwarden, not "${values.mode}"`);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, not "${values.port}"`);
  const seats = values.seats === undefined ? null : Number(values.seats);
  if (seats !== null && !(Number.isInteger(seats) && seats >= 0))
    throw new Error(`--seats must be a whole number, not "${values.seats}"`);
  const pageSize = values['page-size'] === undefined ? null : Number(values['page-size']);
  if (pageSize !== null && !(Number.isInteger(pageSize) && pageSize > 0))
    throw new Error(`--page-size must be a whole number above 0, not "${values['page-size']}"`);
  const emulator = await startBitwardenEmulator({
    pageSize,
    port,
    mode,
    seats,
    stateFile: values['state-file'],
    organizationId: values['organization-id'],
    clientSecret: values['client-secret'],
    stagedStatus: values['staged-status'],
    vaultwardenGroups: values['vaultwarden-groups'],
  });
  writeLine(
    JSON.stringify({
      url: emulator.url,
      apiUrl: emulator.apiUrl,
      identityUrl: emulator.identityUrl,
      mode,
      organizationId: emulator.organizationId,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
    }),
  );
  return emulator;
}
