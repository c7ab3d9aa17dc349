/** `smtptls export-pcap TRANSCRIPT -o OUT.pcap`: transcript bytes → a pcap Wireshark opens (CLI contract; exit 0, or 2). */
import * as fs from 'fs';
import { exportTranscriptToPcap } from '../../core/capture/exportPcap';
import { readTranscript } from '../../core/formats/readTranscript';
import { InputError, describeError, readInputs } from '../inputs';
import { parseCommandArgs, UsageError, type CliCommand } from '../cliTypes';

export const exportPcapCommand: CliCommand = {
  name: 'export-pcap',
  usage: `  export-pcap TRANSCRIPT -o OUT.pcap   transcript → pcap (synthetic TCP on the session's port, 25 by default)
          --port N                server port for sessions that do not state one
          --include-credentials   keep AUTH payloads (default: masked with *)`,
  run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      output: { type: 'string', short: 'o' },
      port: { type: 'string' },
      'include-credentials': { type: 'boolean', default: false },
    });
    if (positionals.length !== 1) throw new UsageError('export-pcap needs exactly one TRANSCRIPT (a file, or - for stdin)');
    const output = values.output;
    if (typeof output !== 'string' || output === '') throw new UsageError('export-pcap needs -o OUT.pcap');
    let defaultPort = 25;
    if (values.port !== undefined) {
      const raw = String(values.port);
      if (!/^[0-9]{1,5}$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) throw new UsageError(`--port takes a port from 1 to 65535, not '${raw}'`);
      defaultPort = Number(raw);
    }
    const inputs = readInputs(positionals, io.readStdin);
    if (inputs.length !== 1) throw new InputError(`${positionals[0]}: export-pcap exports one file, not a folder of ${inputs.length}`);
    const input = inputs[0];
    const transcript = readTranscript(input.text);
    const result = exportTranscriptToPcap(transcript, input.text, { includeCredentials: values['include-credentials'] === true, defaultPort });
    if (result.sessions === 0) throw new InputError(`${input.path}: no SMTP lines or bytes to export`);
    try {
      fs.writeFileSync(output, result.pcap);
    } catch (err) {
      throw new InputError(`cannot write ${output}: ${describeError(err)}`);
    }
    for (const n of result.notes) io.stderr(`${input.path}: ${n}\n`);
    return 0;
  },
};
